package nostr.relay.negentropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import nostr.core.json.Json;
import nostr.core.message.RelayMessage;
import nostr.core.negentropy.Negentropy;
import nostr.core.negentropy.NegentropyArrayStorage;
import nostr.relay.config.NegentropyConfig;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.TestStores;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * NIP-77 "Error message": relays may time out inactive sessions with {@code NEG-ERR "closed: ..."}.
 * A session left without a NEG-MSG for {@code neg_idle_timeout_seconds} is closed that way; the
 * connection and its other work go on. (Session bookkeeping does not touch storage: SQLite only.)
 */
class Nip77IdleTimeoutTest extends LiveRelayContract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }

    @Override
    protected RelayConfig configure(RelayConfig base) {
        NegentropyConfig d = NegentropyConfig.defaults();
        return base.withNegentropy(new NegentropyConfig(true, d.maxSessions(), d.maxItems(), d.frameSizeLimit(),
                Duration.ofSeconds(1), d.indexMaxItems(), d.indexRebuildInterval()));
    }

    @Test
    void nip77IdleSessionIsClosedWithNegErrClosed() throws Exception {
        WsClient ws = connect();
        String initial = new Negentropy(NegentropyArrayStorage.empty(), 0).initiateHex();
        ws.send("[\"NEG-OPEN\",\"idle\",{},\"" + initial + "\"]");
        ws.awaitFirst("NEG-MSG", RelayMessage.NegMsg.class, m -> m.subscriptionId().equals("idle"));
        RelayMessage.NegErr err = ws.awaitFirst("NEG-ERR", RelayMessage.NegErr.class, m -> m.subscriptionId().equals("idle"));
        assertTrue(err.reason().startsWith("closed:"), err.reason());
        nostr.relay.testing.MessageLog.until("the sweep counted it", () -> relay.jobs().status("negentropy_idle_sweep").rows() >= 1);
        ws.send("[\"NEG-MSG\",\"idle\"," + Json.quote(initial) + "]");
        ws.await("second NEG-ERR", msgs -> msgs.stream().filter(m -> m instanceof RelayMessage.NegErr).count() == 2);
        assertEquals(2, ws.parsed().stream().filter(m -> m instanceof RelayMessage.NegErr e && e.reason().startsWith("closed:")).count(),
                "the timed-out session is gone");
        assertInstanceOf(java.util.List.class, ws.query("still-serving", nostr.core.filter.Filter.builder().limit(1).build()));
    }
}
