package nostr.blossom.server;

import java.net.URI;
import java.nio.file.Path;

/** The Blossom server contract on the standalone server with the in-memory index. */
class StandaloneBlossomServerTest extends BlossomServerContract {
    /** The options a server under test runs with; subclasses change them. */
    protected BlossomOptions options(Path blobDir, Settings s) throws Exception {
        return BlossomOptions.defaults(blobDir, URI.create("http://127.0.0.1"))
                .withMaxBlobBytes(s.maxBlobBytes()).withQuotaBytes(s.quotaBytes())
                .withAllowedUploaders(s.allowedUploaders()).withMirrorSources(s.mirrorSources()).withFsync(false);
    }

    /** Called with a server about to be closed. */
    protected void closing(BlossomServer server) {}

    @Override
    protected Running start(Path blobDir, Settings s) throws Exception {
        BlossomServer server = BlossomServer.start("127.0.0.1", 0, options(blobDir, s), new InMemoryBlobIndex(), true);
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
                closing(server);
                server.close();
            }
        };
    }
}
