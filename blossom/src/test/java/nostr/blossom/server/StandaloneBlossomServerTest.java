package nostr.blossom.server;

import java.net.URI;
import java.nio.file.Path;

/** The Blossom server contract on the standalone server with the in-memory index. */
class StandaloneBlossomServerTest extends BlossomServerContract {
    @Override
    protected Running start(Path blobDir, Settings s) throws Exception {
        BlossomOptions o = BlossomOptions.defaults(blobDir, URI.create("http://127.0.0.1"))
                .withMaxBlobBytes(s.maxBlobBytes()).withQuotaBytes(s.quotaBytes())
                .withAllowedUploaders(s.allowedUploaders()).withMirrorSources(s.mirrorSources()).withFsync(false);
        BlossomServer server = BlossomServer.start("127.0.0.1", 0, o, new InMemoryBlobIndex(), true);
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
                server.close();
            }
        };
    }
}
