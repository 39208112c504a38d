package nostr.blossom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import nostr.blossom.testing.DirectIo;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole Blossom server contract again with {@code O_DIRECT} for every blob (a threshold of
 * one byte) and fsync on, so uploads, mirrors, ranges, refusals and disconnects all run through
 * the direct write and read paths. Afterwards it checks that they really did where the blob
 * directory's file system takes {@code O_DIRECT} ({@code dd oflag=direct}), and that they fell
 * back where it does not.
 */
class StandaloneBlossomServerDirectIoTest extends StandaloneBlossomServerTest {
    private long directWrites;
    private long directReads;
    private Boolean supported;

    @Override
    protected BlossomOptions options(Path blobDir, Settings s) throws Exception {
        if (supported == null) {
            supported = DirectIo.supported(Files.createDirectories(blobDir));
        }
        return super.options(blobDir, s).withFsync(true).withDirectIoMin(1);
    }

    @Override
    protected void closing(BlossomServer server) {
        directWrites += server.handler().files().directWrites();
        directReads += server.handler().files().directReads();
    }

    @AfterAll
    void theDirectPathsWereTaken() {
        // the default server is still running (the contract's @AfterAll closes it after this one)
        directWrites += server.files().directWrites();
        directReads += server.files().directReads();
        if (Boolean.TRUE.equals(supported)) {
            assertTrue(directWrites > 0, "uploads were written with O_DIRECT");
            assertTrue(directReads > 0, "GETs were served with O_DIRECT");
        } else {
            assertEquals(0, directWrites, "no O_DIRECT here: every upload took the page cache");
            assertEquals(0, directReads);
        }
    }
}
