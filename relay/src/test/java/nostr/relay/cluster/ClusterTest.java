package nostr.relay.cluster;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.event.EventSigner;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.core.nip98.Nip98;
import nostr.relay.admin.ManagementEndpoint;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode (relay/README.md "Cluster"): three relay nodes in this JVM on one PostgreSQL schema
 * and one real nats-server, over real WebSockets. NIP-01 live delivery across nodes: an event
 * accepted by one node reaches matching live subscriptions on every node exactly once, byte for
 * byte as its author sent it; ephemeral events too; the stored-to-live hand-over of a REQ on one
 * node while another node commits has no gap and no duplicate (staged races and a stream of
 * REQs during a stream of events); a node whose NATS messages never arrive is caught up from the
 * commit journal; NIP-86 moderation on one node applies on the others at once.
 */
class ClusterTest {
    @TempDir
    Path dir;

    private TestCluster cluster;
    private final List<WsClient> clients = new ArrayList<>();
    private final SecretKey alice = SecretKey.generate();
    private final long now = System.currentTimeMillis() / 1000;

    @BeforeEach
    void open() throws Exception {
        cluster = TestCluster.start(dir, "cluster");
    }

    @AfterEach
    void close() throws Exception {
        clients.forEach(WsClient::close);
        cluster.close();
    }

    private WsClient connect(TestCluster.Node n) {
        WsClient c = WsClient.connect(n.url());
        clients.add(c);
        return c;
    }

    private Filter mine() {
        return Filter.builder().authors(alice.publicKey().hex()).build();
    }

    /** A subscription to alice's events on {@code n}, past its EOSE. */
    private WsClient subscribed(TestCluster.Node n, String sub) {
        WsClient c = connect(n);
        c.req(sub, mine());
        c.awaitEose(sub);
        return c;
    }

    private static long count(WsClient c, String sub, String id) {
        return c.eventIds(sub).stream().filter(id::equals).count();
    }

    /** Publishes a marker on {@code n} and waits until every reader has it on {@code sub}. */
    private void barrier(TestCluster.Node n, String sub, WsClient... readers) {
        Event marker = event(alice, 1, now, "barrier " + System.nanoTime());
        assertTrue(connect(n).publish(marker).accepted());
        for (WsClient r : readers) {
            r.awaitEvent(sub, marker.id());
        }
    }

    /** Sends every event without waiting, then waits for all OKs; returns the accepted ids. */
    private static List<String> pipeline(WsClient c, List<Event> events) {
        for (Event e : events) {
            c.send(new ClientMessage.EventMsg(e).toJson());
        }
        List<String> ok = new ArrayList<>();
        for (Event e : events) {
            RelayMessage.Ok answer = c.awaitOk(e.id());
            assertTrue(answer.accepted(), answer.toString());
            ok.add(e.id());
        }
        return ok;
    }

    @Test
    void nip01EventPostedToOneNodeReachesLiveSubscribersOnEveryNodeExactlyOnce() throws Exception {
        TestCluster.Node a = cluster.node("node-a");
        TestCluster.Node b = cluster.node("node-b");
        TestCluster.Node c = cluster.node("node-c");
        WsClient onA = subscribed(a, "live");
        WsClient onB = subscribed(b, "live");
        WsClient onC = subscribed(c, "live");
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event(alice, 1, now, "posted to A #" + i));
        }
        List<String> ids = pipeline(connect(a), events);
        for (WsClient r : List.of(onA, onB, onC)) {
            MessageLog.until("all 50 live", () -> r.eventIds("live").containsAll(ids));
        }
        // Give the journal pollers of B and C two rounds: a catch-up must not repeat anything.
        b.awaitPolls(2);
        c.awaitPolls(2);
        for (WsClient r : List.of(onA, onB, onC)) {
            assertEquals(50, r.eventIds("live").size(), r.eventIds("live").toString());
            for (String id : ids) {
                assertEquals(1, count(r, "live", id));
            }
        }
        assertEquals(50, a.metric("parrhesia_cluster_published_total{type=\"stored\"}"));
        assertEquals(50, b.metric("parrhesia_cluster_events_received_total{via=\"nats\"}"));
        assertEquals(0, b.metric("parrhesia_cluster_events_received_total{via=\"journal\"}"));
        assertEquals(0, a.metric("parrhesia_cluster_events_received_total{via=\"nats\"}"), "A does not take its own back");
    }

    @Test
    void nip01EventReachesOtherNodesByteForByteAsItsAuthorSentIt() throws Exception {
        TestCluster.Node a = cluster.node("node-a");
        TestCluster.Node b = cluster.node("node-b");
        WsClient onB = subscribed(b, "live");
        Event e = event(alice, 1, now, "spaced out \u00e9 \ud83d\ude00");
        String raw = e.json().replace(",\"", ", \"").replace("{\"", "{ \"");
        WsClient pub = connect(a);
        pub.send("[\"EVENT\", " + raw + "]");
        assertTrue(pub.awaitOk(e.id()).accepted());
        onB.awaitEvent("live", e.id());
        assertEquals(List.of("[\"EVENT\",\"live\"," + raw + "]"), onB.rawEvents("live"));
    }

    @Test
    void nip01EphemeralEventsCrossNodesAndAreNotStored() throws Exception {
        TestCluster.Node a = cluster.node("node-a");
        TestCluster.Node b = cluster.node("node-b");
        TestCluster.Node c = cluster.node("node-c");
        Filter ephemeral = Filter.builder().kinds(20001).authors(alice.publicKey().hex()).build();
        List<WsClient> readers = new ArrayList<>();
        for (TestCluster.Node n : List.of(b, c)) {
            WsClient r = connect(n);
            r.req("eph", ephemeral);
            r.awaitEose("eph");
            readers.add(r);
        }
        Event e = event(alice, 20001, now, "typing...");
        assertTrue(connect(a).publish(e).accepted());
        for (WsClient r : readers) {
            r.awaitEvent("eph", e.id());
        }
        // Ephemeral events are not numbered; a later stored event on the same subscriptions' path arrives after.
        Event stored = event(alice, 1, now, "after the ephemeral one");
        assertTrue(connect(a).publish(stored).accepted());
        for (WsClient r : readers) {
            r.req("after", mine());
            r.awaitEvent("after", stored.id());
            assertEquals(1, count(r, "eph", e.id()));
        }
        assertEquals(List.of(), connect(c).query("q", ephemeral));
    }

    @Test
    void nip01ReqOnOneNodeWhileAnotherCommitsDuringItsStoredQueryGetsTheEventOnce() throws Exception {
        TestCluster.Node a = cluster.node("node-a");
        TestCluster.Node b = cluster.node("node-b", c -> c, PausableStorage::new);
        PausableStorage bs = (PausableStorage) b.storage();
        WsClient reader = connect(b);
        bs.events.pauseAtStart();
        reader.req("s", mine());
        bs.events.awaitPaused();
        Event e = event(alice, 1, now - 1, "committed on A while B's query waits");
        assertTrue(connect(a).publish(e).accepted());
        MessageLog.until("B received it over NATS", () -> b.metric("parrhesia_cluster_events_received_total{via=\"nats\"}") >= 1);
        bs.events.release();
        assertEquals(List.of(e.id()), reader.awaitEose("s"));
        barrier(a, "s", reader);
        assertEquals(1, count(reader, "s", e.id()));
    }

    @Test
    void nip01ReqOnOneNodeWhileAnotherCommitsAfterItsStoredQueryGetsTheEventOnceAfterEose() throws Exception {
        TestCluster.Node a = cluster.node("node-a");
        TestCluster.Node b = cluster.node("node-b", c -> c, PausableStorage::new);
        PausableStorage bs = (PausableStorage) b.storage();
        WsClient reader = connect(b);
        bs.events.pauseAtEnd();
        reader.req("s", mine());
        bs.events.awaitPaused();
        Event e = event(alice, 1, now - 1, "committed on A after B's query ran");
        assertTrue(connect(a).publish(e).accepted());
        MessageLog.until("B received it over NATS", () -> b.metric("parrhesia_cluster_events_received_total{via=\"nats\"}") >= 1);
        bs.events.release();
        assertEquals(List.of(), reader.awaitEose("s"));
        reader.awaitEvent("s", e.id());
        barrier(a, "s", reader);
        assertEquals(1, count(reader, "s", e.id()));
    }

    @Test
    void nip01ReqsOpenedOnOneNodeDuringAStreamOfEventsOnAnotherMissNothingAndRepeatNothing() throws Exception {
        TestCluster.Node a = cluster.node("node-a");
        TestCluster.Node b = cluster.node("node-b");
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(event(alice, 1, now - 200 + i, "stream #" + i));
        }
        WsClient pub = connect(a);
        for (Event e : events) {
            pub.send(new ClientMessage.EventMsg(e).toJson());
        }
        List<WsClient> readers = new ArrayList<>();
        for (int k = 1; k <= 8; k++) {
            long okAt = k * 25L - 10;
            pub.await(okAt + " OKs", ms -> ms.stream().filter(m -> m instanceof RelayMessage.Ok).count() >= okAt);
            WsClient r = connect(b);
            r.req("s", mine());
            readers.add(r);
        }
        for (Event e : events) {
            assertTrue(pub.awaitOk(e.id()).accepted());
        }
        barrier(a, "s", readers.toArray(WsClient[]::new));
        for (WsClient r : readers) {
            List<String> got = r.eventIds("s");
            for (Event e : events) {
                assertEquals(1, got.stream().filter(e.id()::equals).count(), "event " + e.content() + " in " + got.size());
            }
            assertEquals(1, r.count(m -> m instanceof RelayMessage.Eose));
        }
    }

    @Test
    void nip01EventsOfANodeWhoseNatsMessagesNeverArriveAreCaughtUpFromTheJournalOnce() throws Exception {
        TestCluster.Node a = cluster.node("node-a",
                c -> c.withCluster(c.cluster().withNatsUrl(cluster.nats.muteUrl())), s -> s);
        TestCluster.Node b = cluster.node("node-b");
        WsClient onB = subscribed(b, "live");
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(event(alice, 1, now, "published by a node NATS refuses #" + i));
        }
        List<String> ids = pipeline(connect(a), events);
        MessageLog.until("all 10 caught up", () -> onB.eventIds("live").containsAll(ids));
        b.awaitPolls(2);
        // Once each (the verify pool may reorder a pipeline, so A's commit order is not the sending order).
        assertEquals(ids.stream().sorted().toList(), onB.eventIds("live").stream().sorted().toList());
        assertEquals(10, b.metric("parrhesia_cluster_events_received_total{via=\"journal\"}"));
        assertEquals(0, b.metric("parrhesia_cluster_events_received_total{via=\"nats\"}"));
    }

    @Test
    void nip01EventTheStoredPhaseSentIsNotRepeatedWhenItsCatchUpComesAfterEose() throws Exception {
        TestCluster.Node a = cluster.node("node-a",
                c -> c.withCluster(c.cluster().withNatsUrl(cluster.nats.muteUrl())), s -> s);
        TestCluster.Node b = cluster.node("node-b");
        Event e = event(alice, 1, now, "stored on A, reaches B's feed late");
        assertTrue(connect(a).publish(e).accepted());
        // Right after the OK: B's stored phase serves it; its journal catch-up comes a poll or two later.
        WsClient reader = connect(b);
        reader.req("s", mine());
        assertEquals(List.of(e.id()), reader.awaitEose("s"));
        MessageLog.until("B caught it up", () -> b.metric("parrhesia_cluster_events_received_total{via=\"journal\"}") >= 1);
        b.awaitPolls(3);
        Event later = event(alice, 1, now, "a later one");
        assertTrue(connect(a).publish(later).accepted());
        reader.awaitEvent("s", later.id());
        assertEquals(1, count(reader, "s", e.id()));
    }

    @Test
    void nip86BanOnOneNodeRefusesThePubkeyOnTheOthersWithoutWaitingForTheReload() throws Exception {
        SecretKey admin = SecretKey.generate();
        java.util.function.UnaryOperator<nostr.relay.config.RelayConfig> adminNoReload = c -> c.withOperations(
                c.operations().withAdminPubkeys(Set.of(admin.publicKey().hex()))
                        .withIntervals(c.operations().expiryPurgeInterval(), c.operations().vanishScrubInterval(),
                                java.time.Duration.ZERO, c.operations().retentionPurgeInterval()));
        TestCluster.Node a = cluster.node("node-a", adminNoReload, s -> s);
        TestCluster.Node b = cluster.node("node-b", adminNoReload, s -> s);
        SecretKey spammer = SecretKey.generate();
        assertTrue(connect(b).publish(event(spammer, 1, now, "before the ban")).accepted());
        String url = a.url().replace("ws://", "http://");
        byte[] body = ("{\"method\":\"banpubkey\",\"params\":[\"" + spammer.publicKey().hex() + "\",\"spam\"]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", ManagementEndpoint.CONTENT_TYPE)
                .header("Authorization", Nip98.header(EventSigner.of(admin), url, "POST", body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), res.body());
        MessageLog.until("B told", () -> b.metric("parrhesia_cluster_control_received_total{change=\"moderation\"}") >= 1);
        RelayMessage.Ok refused = connect(b).publish(event(spammer, 1, now, "after the ban"));
        assertTrue(!refused.accepted() && refused.message().startsWith("blocked:"), refused.toString());
    }

    @Test
    void nip77NegentropyIndexOfAnotherNodeFollowsWhatThisNodeStoresAndRemoves() throws Exception {
        // Rebuilt only at start: what the index learns later comes from the cluster alone.
        java.util.function.UnaryOperator<nostr.relay.config.RelayConfig> noRebuild = c -> c.withNegentropy(
                new nostr.relay.config.NegentropyConfig(true, 10, 500_000, 131_072, java.time.Duration.ofSeconds(60),
                        2_000_000, java.time.Duration.ZERO));
        TestCluster.Node a = cluster.node("node-a", noRebuild, s -> s);
        TestCluster.Node b = cluster.node("node-b", noRebuild, s -> s);
        var index = b.relay().negentropy().index();
        MessageLog.until("B's index loaded", () -> index.state() == nostr.relay.negentropy.NegentropyIndex.State.READY);
        WsClient pub = connect(a);
        List<Event> notes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            notes.add(event(alice, 1, now - 10 + i, "indexed on B #" + i));
        }
        pipeline(pub, notes);
        MessageLog.until("B's index has A's three events", () -> index.size() == 3);
        Event vanish = event(alice, 62, now, "", new String[] {"relay", "ALL_RELAYS"});
        assertTrue(pub.publish(vanish).accepted());
        MessageLog.until("B's index dropped them", () -> index.size() == 0);
        assertEquals(3, b.metric("parrhesia_cluster_removals_received_total"));
    }

    @Test
    void aSecondNodeWithANameInUseIsRefused() throws Exception {
        cluster.node("node-a");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cluster.node("node-a"));
        assertTrue(e.getMessage().contains("another relay node named 'node-a' is running"), e.getMessage());
    }

    @Test
    void natsThatCannotCarryTheLargestEventIsRefusedAtStart() throws Exception {
        try (NatsServer small = NatsServer.start(dir.resolve("small").toFile().mkdirs() ? dir.resolve("small") : dir, 64 * 1024)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cluster.node("node-a",
                    c -> c.withCluster(c.cluster().withNatsUrl(small.url())), s -> s));
            assertTrue(e.getMessage().contains("accepts messages of at most 65536 bytes (max_payload), but "
                    + "max_message_length is 524288"), e.getMessage());
        }
    }

    @Test
    void unreachableNatsIsRefusedAtStartNamingTheUrlWithoutItsPassword() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "nats://relay:" + NatsServer.PASSWORD + "@127.0.0.1:" + port;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cluster.node("node-a",
                c -> c.withCluster(c.cluster().withNatsUrl(url)), s -> s));
        assertTrue(e.getMessage().startsWith("cannot connect to NATS at nats://relay:***@127.0.0.1:" + port + ": "),
                e.getMessage());
        assertTrue(!e.getMessage().contains(NatsServer.PASSWORD), e.getMessage());
        // The name was given back: a node can start under it.
        cluster.node("node-a");
    }

    /** Runs {@code bin/parrhesia}'s main command in this JVM; returns its exit status and what it printed to stderr. */
    private static String[] program(String... args) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = nostr.relay.ParrhesiaMain.commandLine().execute(args);
        } finally {
            System.setErr(saved);
        }
        return new String[] {String.valueOf(status), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void theProgramRefusesClusterModeOnSqliteWithExitStatus2() {
        String[] r = program("--data-dir", dir.resolve("sqlite").toString(), "--port", "0", "--nats-url", cluster.nats.url());
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("nats_url (cluster mode) needs store = postgres"), r[1]);
        assertTrue(r[1].contains("(from flag --nats-url)"), r[1]);
    }

    @Test
    void theProgramRefusesAMalformedNatsUrlWithExitStatus2() {
        String[] r = program("--data-dir", dir.resolve("bad").toString(), "--store", "postgres", "--postgres-url",
                cluster.jdbcUrl + "?user=postgres", "--nats-url", "nats//127.0.0.1:4222");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("nats_url must be nats://host:port"), r[1]);
    }

    @Test
    void aRelayGivenAStoreWithoutACommitJournalRefusesClusterMode() throws Exception {
        try (nostr.relay.store.Storage sqlite = nostr.relay.store.sqlite.SqliteStorage.open(dir.resolve("lite"),
                nostr.relay.store.sqlite.SqliteOptions.defaults())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> nostr.relay.Relay.start(cluster.config("node-x"), sqlite));
            assertTrue(e.getMessage().contains("cluster mode (nats_url) needs a store several relay processes share"),
                    e.getMessage());
        }
    }
}
