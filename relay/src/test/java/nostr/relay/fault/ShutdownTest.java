package nostr.relay.fault;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/parrhesia's main class stops cleanly on SIGTERM: EVENTs already received are written and
 * answered, clients see the close code 1001 (going away), the log says so, and the data is there
 * after a restart.
 */
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void sigtermDrainsTheWriterAndClosesConnectionsAsGoingAway() throws Exception {
        SecretKey alice = SecretKey.generate();
        long now = System.currentTimeMillis() / 1000;
        List<String> acknowledged = new ArrayList<>();
        try (RelayProcess relay = RelayProcess.start("--port", "0", "--data-dir", dir.toString());
             WsClient client = WsClient.connect(relay.url())) {
            assertTrue(relay.log().stream().anyMatch(l -> l.contains("listening on ws://127.0.0.1:")
                    && l.contains("store: sqlite at " + dir.toAbsolutePath())), relay.log().toString());
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Event e = event(alice, 1, now, "before SIGTERM " + i);
                events.add(e);
                client.send(new ClientMessage.EventMsg(e).toJson());
            }
            client.awaitOk(events.getFirst().id());
            int status = relay.terminate();
            assertEquals(143, status, "the JVM reports death by SIGTERM after its shutdown hook ran");
            assertEquals(1001, client.awaitClose());
            assertTrue(relay.log().stream().anyMatch(l -> l.contains("stopped")), relay.log().toString());
            for (RelayMessage m : client.parsed()) {
                if (m instanceof RelayMessage.Ok ok) {
                    assertTrue(ok.accepted() || ok.prefix().equals("error"), ok.message());
                    if (ok.accepted()) {
                        acknowledged.add(ok.eventId());
                    }
                }
            }
        }
        try (RelayProcess again = RelayProcess.start("--port", "0", "--data-dir", dir.toString());
             WsClient reader = WsClient.connect(again.url())) {
            List<String> stored = reader.query("s", Filter.builder().authors(alice.publicKey().hex()).limit(1000).build());
            assertTrue(stored.containsAll(acknowledged), "every acknowledged event is stored");
            assertTrue(acknowledged.size() >= 1);
        }
    }
}
