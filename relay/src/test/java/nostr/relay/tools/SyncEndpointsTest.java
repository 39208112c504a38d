package nostr.relay.tools;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import nostr.core.Hex;
import nostr.core.client.WebSocketTestServer;
import nostr.core.event.Event;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.negentropy.Negentropy;
import nostr.core.negentropy.NegentropyArrayStorage;
import nostr.core.testing.JsonTree;
import nostr.relay.ParrhesiaMain;
import nostr.relay.store.Visibility;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code parrhesia sync} against scripted endpoints that are not this relay (a plain WebSocket
 * server playing the remote): one that never answers NEG-OPEN and one that answers it with NOTICE
 * (relays without NIP-77) must make sync fail with exit 3 and a message naming NIP-77, without
 * hanging; one that speaks NIP-77 but sends a forged event must have it refused (exit 1), the
 * forged event never stored.
 */
class SyncEndpointsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    private Run sync(String... args) {
        CommandLine cmd = ParrhesiaMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 3];
        all[0] = "sync";
        all[1] = "--data-dir";
        all[2] = tmp.resolve("local").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return new Run(cmd.execute(all), out.toString(), err.toString());
    }

    @Test
    void nip77SyncAgainstASilentEndpointTimesOutWithExit3() throws Exception {
        try (WebSocketTestServer server = WebSocketTestServer.start()) {
            long started = System.nanoTime();
            Run r = sync(server.url(), "--timeout", "2");
            assertEquals(3, r.exit(), r.err());
            assertTrue(r.err().contains("NIP-77"), r.err());
            assertTrue(System.nanoTime() - started < 20_000_000_000L, "bounded by --timeout, no hang");
        }
    }

    @Test
    void nip77SyncAgainstAnEndpointAnsweringNoticeIsUnsupportedWithExit3() throws Exception {
        try (WebSocketTestServer server = WebSocketTestServer.start()) {
            Thread relay = Thread.ofVirtual().start(() -> {
                try {
                    WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
                    String open = peer.receive(WAIT);
                    assertTrue(open.startsWith("[\"NEG-OPEN\""), open);
                    peer.send("[\"NOTICE\",\"ERROR: bad msg: unknown cmd\"]");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            Run r = sync(server.url(), "--timeout", "10");
            relay.join();
            assertEquals(3, r.exit(), r.err());
            assertTrue(r.err().contains("does not support NIP-77"), r.err());
        }
    }

    @Test
    void nip77SyncRefusesAForgedEventAndKeepsTheGoodOne() throws Exception {
        SecretKey k = SecretKey.generate();
        Event good = event(k, 1, 1_700_000_000L, "good");
        Event signed = event(k, 1, 1_700_000_001L, "signed");
        String forged = signed.json().replace("\"signed\"", "\"forged\"");
        try (WebSocketTestServer server = WebSocketTestServer.start()) {
            Thread relay = Thread.ofVirtual().start(() -> {
                try {
                    WebSocketTestServer.Peer peer = server.nextPeer(WAIT);
                    ClientMessage.NegOpen open = (ClientMessage.NegOpen) parse(peer.receive(WAIT));
                    NegentropyArrayStorage mine = NegentropyArrayStorage.builder()
                            .add(good.createdAt(), good.id()).add(signed.createdAt(), signed.id()).seal();
                    String reply = new Negentropy(mine, 0).reconcile(open.message());
                    peer.send("[\"NEG-MSG\"," + Json.quote(open.subscriptionId()) + "," + Json.quote(reply) + "]");
                    assertTrue(peer.receive(WAIT).startsWith("[\"NEG-CLOSE\""));
                    ClientMessage.Req req = (ClientMessage.Req) parse(peer.receive(WAIT));
                    peer.send("[\"EVENT\"," + Json.quote(req.subscriptionId()) + "," + good.json() + "]");
                    peer.send("[\"EVENT\"," + Json.quote(req.subscriptionId()) + "," + forged + "]");
                    peer.send("[\"EOSE\"," + Json.quote(req.subscriptionId()) + "]");
                    // The retry for what did not come as asked is not needed: both ids were sent.
                    peer.receive(WAIT);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            Run r = sync(server.url(), "--timeout", "10");
            relay.join();
            assertEquals(1, r.exit(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(1, lines.size(), r.out());
            var refused = JsonTree.object(lines.getFirst());
            assertEquals(signed.id(), refused.get("id"));
            assertEquals("down", refused.get("direction"));
            assertTrue(((String) refused.get("reason")).startsWith("invalid:"), refused.toString());
        }
        try (SqliteStorage s = SqliteStorage.open(tmp.resolve("local"), SqliteOptions.defaults())) {
            java.util.Set<String> stored = new java.util.TreeSet<>();
            s.events().scanItems(nostr.core.filter.Filter.builder().build(), 2_000_000_000L, Visibility.EVERYTHING,
                    (createdAt, id, kind, exp) -> stored.add(Hex.encode(id)));
            assertEquals(java.util.Set.of(good.id()), stored);
        }
    }

    private static ClientMessage parse(String frame) throws Exception {
        return ClientMessage.parse(frame);
    }
}
