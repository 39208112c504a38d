package nostr.relay.blossom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import nostr.blossom.server.BlobFiles;
import nostr.blossom.server.BlossomHandler;
import nostr.blossom.server.BlossomServerContract;
import nostr.core.client.ClientOptions;
import nostr.core.client.RelayClient;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;
import nostr.relay.Relay;
import nostr.relay.config.BlossomConfig;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole Blossom server contract against the real relay with Blossom mounted on its port
 * (blob metadata in the relay's store), plus the relay's own routes still answering beside it.
 * One subclass per storage adapter.
 */
public abstract class RelayBlossomContract extends BlossomServerContract {
    private Storage storage;

    /** A storage of the adapter under test (shared by every server the contract starts). */
    protected abstract Storage openStorage() throws Exception;

    @BeforeAll
    void openStore() throws Exception {
        // The contract's own @BeforeAll (a superclass's, so it runs first) may have opened it already.
        if (storage == null) {
            storage = openStorage();
        }
    }

    @AfterAll
    void closeStore() {
        if (storage != null) {
            storage.close();
        }
    }

    @Override
    protected Running start(Path blobDir, Settings s) throws Exception {
        if (storage == null) {
            storage = openStorage();
        }
        BlossomConfig b = BlossomConfig.defaults().withDir(blobDir).withFsync(false)
                .withLimits(s.maxBlobBytes(), s.quotaBytes(), s.allowedUploaders()).withMirrorSources(s.mirrorSources());
        RelayConfig config = RelayConfig.defaults().withPort(0).withDataDir(blobDir.resolveSibling(blobDir.getFileName() + "-data"))
                .withBlossom(b);
        Relay relay = Relay.start(config, storage);
        BlossomHandler handler = relay.blossom().orElseThrow();
        return new Running() {
            @Override
            public URI url() {
                return handler.options().publicUrl();
            }

            @Override
            public BlobFiles files() {
                return handler.files();
            }

            @Override
            public void close() {
                relay.close();
            }
        };
    }

    @Test
    void relayRoutesStillAnswerBesideBlossom() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = server.url();
        HttpResponse<String> info = http.send(HttpRequest.newBuilder(base.resolve("/"))
                .header("Accept", "application/nostr+json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, info.statusCode());
        assertTrue(info.body().contains("\"supported_nips\""), info.body());
        assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(404, http.send(HttpRequest.newBuilder(base.resolve("/media")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        // NIP-01 over the WebSocket on the same port.
        try (RelayClient c = RelayClient.connect("ws://" + base.getHost() + ":" + base.getPort() + "/", ClientOptions.defaults())) {
            var e = EventTemplate.of(1, "hello beside blossom", List.of()).sign(SecretKey.generate());
            assertTrue(c.publish(e).get().accepted());
        }
    }
}
