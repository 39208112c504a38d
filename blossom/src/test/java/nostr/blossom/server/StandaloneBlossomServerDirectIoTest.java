package nostr.blossom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nostr.blossom.testing.DirectIo;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole Blossom server contract again with {@code O_DIRECT} for every blob (a threshold of
 * one byte), so uploads, mirrors, ranges, refusals and disconnects all run through the direct
 * write and read paths. Afterwards it checks that they really did where the blob directory's file
 * system takes {@code O_DIRECT} ({@code dd oflag=direct}), and that they fell back where it does not.
 */
class StandaloneBlossomServerDirectIoTest extends BlossomServerContract {
    private final List<BlossomServer> started = new ArrayList<>();
    private long directWrites;
    private long directReads;
    private Boolean supported;

    @Override
    protected Running start(Path blobDir, Settings s) throws Exception {
        if (supported == null) {
            supported = DirectIo.supported(Files.createDirectories(blobDir));
        }
        BlossomOptions o = BlossomOptions.defaults(blobDir, URI.create("http://127.0.0.1"))
                .withMaxBlobBytes(s.maxBlobBytes()).withQuotaBytes(s.quotaBytes())
                .withAllowedUploaders(s.allowedUploaders()).withMirrorSources(s.mirrorSources()).withFsync(true)
                .withDirectIoMin(1);
        BlossomServer server = BlossomServer.start("127.0.0.1", 0, o, new InMemoryBlobIndex(), true);
        started.add(server);
        return new Running() {
            @Override
            public URI url() {
                return server.url();
            }

            @Override
            public BlobFiles files() {
                return server.handler().files();
            }

            @Override
            public void close() throws Exception {
                directWrites += server.handler().files().directWrites();
                directReads += server.handler().files().directReads();
                started.remove(server);
                server.close();
            }
        };
    }

    @AfterAll
    void theDirectPathsWereTaken() {
        for (BlossomServer s : started) {
            directWrites += s.handler().files().directWrites();
            directReads += s.handler().files().directReads();
        }
        if (Boolean.TRUE.equals(supported)) {
            assertTrue(directWrites > 0, "uploads were written with O_DIRECT");
            assertTrue(directReads > 0, "GETs were served with O_DIRECT");
        } else {
            assertEquals(0, directWrites, "no O_DIRECT here: every upload took the page cache");
            assertEquals(0, directReads);
        }
    }
}
