package nostr.blossom.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nostr.blossom.blob.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content-addressed blob files: hashing while streaming to a temporary file, atomic promotion, cleanup. */
class BlobFilesTest {
    @TempDir
    Path dir;

    @Test
    void receivedBlobsAreHashedAndPromotedIntoTheFanOut() throws Exception {
        BlobFiles f = BlobFiles.open(dir, true);
        byte[] content = new byte[700_000];
        new java.util.Random(7).nextBytes(content);
        BlobFiles.Received r = f.receive(new ByteArrayInputStream(content), Long.MAX_VALUE, -1);
        assertEquals(Sha256.of(content), r.sha256());
        assertEquals(content.length, r.size());
        assertTrue(r.temp().startsWith(dir.toAbsolutePath().resolve(BlobFiles.TEMP_DIR)));
        assertTrue(f.promote(r));
        String sha = r.sha256();
        assertEquals(dir.toAbsolutePath().resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha), f.path(sha));
        assertArrayEquals(content, Files.readAllBytes(f.path(sha)));
        assertEquals(List.of(), f.temporaryFiles());

        // The same bytes again: the existing file stays, the new temporary file goes.
        assertFalse(f.promote(f.receive(new ByteArrayInputStream(content), Long.MAX_VALUE, -1)));
        assertEquals(List.of(), f.temporaryFiles());
        assertTrue(f.delete(sha));
        assertFalse(f.exists(sha));
        assertFalse(f.delete(sha));
    }

    @Test
    void aStreamPastTheLimitLeavesNoTemporaryFile() throws Exception {
        BlobFiles f = BlobFiles.open(dir, false);
        BlobTooLargeException e = assertThrows(BlobTooLargeException.class,
                () -> f.receive(new ByteArrayInputStream(new byte[1001]), 1000, -1));
        assertEquals(1000, e.limit());
        assertEquals(List.of(), f.temporaryFiles());
        assertEquals(1000, f.receive(new ByteArrayInputStream(new byte[1000]), 1000, -1).size());
    }

    @Test
    void aStreamThatFailsMidwayLeavesNoTemporaryFile() throws Exception {
        BlobFiles f = BlobFiles.open(dir, false);
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (++n > 300_000) {
                    throw new IOException("connection reset");
                }
                return 1;
            }
        };
        assertThrows(IOException.class, () -> f.receive(broken, Long.MAX_VALUE, -1));
        assertEquals(List.of(), f.temporaryFiles());
    }

    @Test
    void openingRemovesTemporaryFilesOfAnEarlierProcess() throws Exception {
        BlobFiles.open(dir, false);
        Path stale = dir.resolve(BlobFiles.TEMP_DIR).resolve("upload-x.part");
        Files.write(stale, new byte[10]);
        BlobFiles f = BlobFiles.open(dir, false);
        assertFalse(Files.exists(stale));
        assertEquals(List.of(), f.temporaryFiles());
        assertThrows(IllegalArgumentException.class, () -> f.path("../../etc/passwd"));
    }
}
