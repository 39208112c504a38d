package nostr.relay.negentropy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import nostr.core.message.RelayMessage;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.TestStores;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * {@code negentropy_enabled = false}: NIP-11 does not list 77, every NEG-OPEN and NEG-MSG gets
 * {@code NEG-ERR "unsupported: ..."}, no index is kept. (No storage involved: SQLite only.)
 */
class Nip77DisabledTest extends LiveRelayContract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }

    @Override
    protected RelayConfig configure(RelayConfig base) {
        return base.withNegentropy(base.negentropy().withEnabled(false));
    }

    @Test
    void nip77OffAnswersUnsupportedAndNip11DoesNotListIt() throws Exception {
        assertNull(relay.negentropy());
        WsClient ws = connect();
        ws.send("[\"NEG-OPEN\",\"n\",{},\"6100000200\"]");
        RelayMessage.NegErr err = ws.awaitFirst("NEG-ERR", RelayMessage.NegErr.class, m -> m.subscriptionId().equals("n"));
        assertTrue(err.reason().startsWith("unsupported:"), err.reason());
        ws.send("[\"NEG-MSG\",\"n\",\"6100000200\"]");
        ws.await("second NEG-ERR", msgs -> msgs.stream().filter(m -> m instanceof RelayMessage.NegErr).count() == 2);
        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(relay.url().replace("ws://", "http://")))
                .header("Accept", "application/nostr+json").build();
        String doc = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertFalse(doc.contains(",77,"), doc);
        assertTrue(doc.contains("\"supported_nips\""), doc);
    }
}
