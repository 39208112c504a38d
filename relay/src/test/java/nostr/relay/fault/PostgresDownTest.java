package nostr.relay.fault;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.config.StoreKind;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: PostgreSQL stops in the middle of a steady stream of EVENTs and comes back.
 * NIP-01: while it is down every EVENT is answered OK false {@code error:} (none left hanging),
 * REQ gets CLOSED {@code error:}, /health says 503; once it is back the same connection's events
 * are accepted again, and every event acknowledged before, during or after is stored.
 */
class PostgresDownTest {
    @TempDir
    Path pgData;
    @TempDir
    Path relayData;

    @Test
    void nip01DatabaseOutageIsAnsweredErrorAndTheRelayRecovers() throws Exception {
        int port = freePort();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(pgData, port);
        PostgresStorage storage = PostgresStorage.open(PostgresOptions.of(server.jdbcUrl(), "postgres", "")
                .withSchema("down").withConnectionTimeout(Duration.ofSeconds(1)));
        RelayConfig config = new RelayConfig("127.0.0.1", 0, relayData, StoreKind.POSTGRES, server.jdbcUrl(),
                RelayConfig.defaults().identity(), RelayConfig.defaults().limits(), RelayConfig.defaults().tuning(),
                RelayConfig.defaults().operations(), RelayConfig.defaults().blossom(), "", "", RelayConfig.defaults().membership());
        Relay relay = Relay.start(config, storage);
        HttpClient http = HttpClient.newHttpClient();
        URI health = URI.create(relay.url().replace("ws://", "http://") + "health");
        SecretKey alice = SecretKey.generate();
        long now = System.currentTimeMillis() / 1000;
        try (WsClient client = WsClient.connect(relay.url())) {
            // A steady publisher on its own connection: every EVENT must get an OK, whatever the database does.
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<RelayMessage.Ok> outcomes = new ConcurrentLinkedQueue<>();
            List<Event> streamed = new ArrayList<>();
            Thread stream = Thread.ofVirtual().start(() -> {
                try (WsClient steady = WsClient.connect(relay.url())) {
                    for (int i = 0; !stop.get(); i++) {
                        Event e = event(alice, 1, now, "steady " + i);
                        synchronized (streamed) {
                            streamed.add(e);
                        }
                        outcomes.add(steady.publish(e));
                    }
                }
            });
            MessageLog.until("some events stored", () -> outcomes.stream().filter(RelayMessage.Ok::accepted).count() >= 20);

            server.close();
            MessageLog.until("error: answers from the steady stream",
                    () -> outcomes.stream().anyMatch(o -> !o.accepted() && o.prefix().equals("error")));
            RelayMessage.Ok down = client.publish(event(alice, 1, now, "while down"));
            assertFalse(down.accepted());
            assertEquals("error", down.prefix(), down.message());
            client.req("during", Filter.builder().authors(alice.publicKey().hex()).build());
            assertTrue(client.awaitClosed("during").startsWith("error:"));
            assertEquals(503, http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            server = EmbeddedPostgresServer.start(pgData, port);
            long seenAfterRestart = outcomes.size();
            MessageLog.until("OK true again on the steady stream", () -> outcomes.stream().skip(seenAfterRestart)
                    .anyMatch(RelayMessage.Ok::accepted));
            stop.set(true);
            stream.join();
            Event back = event(alice, 1, now, "after recovery");
            assertTrue(client.publish(back).accepted());
            assertEquals(200, http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            for (RelayMessage.Ok o : outcomes) {
                assertTrue(o.accepted() || o.prefix().equals("error"), "only error: refusals, got " + o.message());
            }
            List<String> acknowledged = new ArrayList<>(outcomes.stream().filter(RelayMessage.Ok::accepted)
                    .map(RelayMessage.Ok::eventId).toList());
            acknowledged.add(back.id());
            List<String> stored = client.query("after", Filter.builder().ids(acknowledged).build());
            assertEquals(acknowledged.stream().sorted().toList(), stored.stream().sorted().toList());
            assertEquals(streamed.size(), outcomes.size(), "every EVENT of the stream got an OK");
        } finally {
            relay.close();
            storage.close();
            server.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
