package nostr.relay.fault;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection, NIP-01 "OK only after the write is durable": the relay runs as its own
 * process; four clients pipeline events at it, and right after the first few hundred OKs it is
 * killed with SIGKILL while more are in flight. Restarted on the same data, it must serve every
 * event it acknowledged. On both stores.
 */
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    void nip01EveryAcknowledgedEventSurvivesKillNineOnSqlite() throws Exception {
        runAndKill("--data-dir", dir.toString());
    }

    @Test
    void nip01EveryAcknowledgedEventSurvivesKillNineOnPostgres() throws Exception {
        String url = EmbeddedPostgresServer.shared().freshDatabase("killnine") + "?user=postgres";
        runAndKill("--data-dir", dir.toString(), "--store", "postgres", "--postgres-url", url);
    }

    private void runAndKill(String... args) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--port", "0"));
        flags.addAll(List.of(args));
        Set<String> acknowledged = new HashSet<>();
        long now = System.currentTimeMillis() / 1000;
        try (RelayProcess relay = RelayProcess.start(flags.toArray(String[]::new))) {
            List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(WsClient.connect(relay.url()));
            }
            for (int round = 0; round < 300; round++) {
                for (WsClient c : clients) {
                    c.send(new ClientMessage.EventMsg(event(SecretKey.generate(), 1, now, "round " + round)).toJson());
                }
            }
            WsClient first = clients.getFirst();
            first.await("100 OKs on one connection", ms -> ms.stream().filter(m -> m instanceof RelayMessage.Ok).count() >= 100);
            relay.kill9();
            for (WsClient c : clients) {
                for (RelayMessage m : c.parsed()) {
                    if (m instanceof RelayMessage.Ok ok && ok.accepted()) {
                        acknowledged.add(ok.eventId());
                    }
                }
                c.close();
            }
        }
        assertTrue(acknowledged.size() >= 100, "acknowledged before the kill: " + acknowledged.size());
        try (RelayProcess again = RelayProcess.start(flags.toArray(String[]::new));
             WsClient reader = WsClient.connect(again.url())) {
            List<String> ids = new ArrayList<>(acknowledged);
            Set<String> found = new HashSet<>();
            for (int from = 0; from < ids.size(); from += 1000) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
                found.addAll(reader.query("q" + from, Filter.builder().ids(chunk).build()));
            }
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(found);
            assertEquals(Set.of(), missing, missing.size() + " acknowledged events lost of " + acknowledged.size());
        }
    }
}
