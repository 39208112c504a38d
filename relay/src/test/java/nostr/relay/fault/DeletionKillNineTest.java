package nostr.relay.fault;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * Fault injection for NIP-09: a deletion request is stored and applied in one transaction, so a
 * SIGKILL can never leave a stored request whose targets are still served, nor an applied
 * deletion whose request is lost. The relay runs as its own process; 400 of one author's notes are
 * stored, then four clients pipeline a deletion request for each and the relay is killed after the
 * first OKs. Restarted on the same data: every request that is served has its note gone, every
 * acknowledged request is served, its note gone and refused if sent again. On both stores.
 */
class DeletionKillNineTest {
    private static final int NOTES = 400;

    @TempDir
    Path dir;

    @Test
    void nip09RequestAndItsDeletionSurviveKillNineTogetherOnSqlite() throws Exception {
        runAndKill("--data-dir", dir.toString());
    }

    @Test
    void nip09RequestAndItsDeletionSurviveKillNineTogetherOnPostgres() throws Exception {
        String url = EmbeddedPostgresServer.shared().freshDatabase("deletionkill") + "?user=postgres";
        runAndKill("--data-dir", dir.toString(), "--store", "postgres", "--postgres-url", url);
    }

    private void runAndKill(String... args) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--port", "0"));
        flags.addAll(List.of(args));
        SecretKey author = SecretKey.generate();
        long now = System.currentTimeMillis() / 1000;
        List<Event> notes = new ArrayList<>();
        List<Event> requests = new ArrayList<>();
        for (int i = 0; i < NOTES; i++) {
            Event note = event(author, 1, now - 1000 + i, "note " + i);
            notes.add(note);
            requests.add(event(author, 5, now - 10, "delete " + i, tag("e", note.id()), tag("k", "1")));
        }
        Set<String> acknowledged = new HashSet<>();
        try (RelayProcess relay = RelayProcess.start(flags.toArray(String[]::new))) {
            try (WsClient writer = WsClient.connect(relay.url())) {
                for (Event note : notes) {
                    writer.send(new ClientMessage.EventMsg(note).toJson());
                }
                for (Event note : notes) {
                    assertTrue(writer.awaitOk(note.id()).accepted());
                }
            }
            List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(WsClient.connect(relay.url()));
            }
            for (int i = 0; i < NOTES; i++) {
                clients.get(i % 4).send(new ClientMessage.EventMsg(requests.get(i)).toJson());
            }
            clients.getFirst().await("20 OKs on one connection",
                    ms -> ms.stream().filter(m -> m instanceof RelayMessage.Ok).count() >= 20);
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
        assertTrue(acknowledged.size() >= 20, "acknowledged before the kill: " + acknowledged.size());
        try (RelayProcess again = RelayProcess.start(flags.toArray(String[]::new));
             WsClient reader = WsClient.connect(again.url())) {
            Set<String> served = new HashSet<>(reader.query("all", Filter.builder().authors(author.publicKey().hex())
                    .limit(5000).build()));
            int applied = 0;
            for (int i = 0; i < NOTES; i++) {
                boolean requestServed = served.contains(requests.get(i).id());
                boolean noteServed = served.contains(notes.get(i).id());
                assertTrue(requestServed != noteServed, "note " + i + ": request served " + requestServed
                        + ", note served " + noteServed + " (exactly one of the two, never both or neither)");
                if (acknowledged.contains(requests.get(i).id())) {
                    assertTrue(requestServed, "acknowledged request " + i + " lost");
                }
                if (requestServed) {
                    applied++;
                }
            }
            assertTrue(applied >= acknowledged.size());
            // Deleted notes stay refused after the restart.
            for (int i = 0; i < NOTES; i += 37) {
                if (served.contains(requests.get(i).id())) {
                    RelayMessage.Ok ok = reader.publish(notes.get(i));
                    assertFalse(ok.accepted());
                    assertEquals("blocked", ok.prefix(), ok.message());
                }
            }
        }
    }
}
