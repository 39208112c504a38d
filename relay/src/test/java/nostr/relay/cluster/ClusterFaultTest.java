package nostr.relay.cluster;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.relay.fault.RelayProcess;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode under faults (relay/README.md "Cluster", the delivery guarantee): a node killed with
 * SIGKILL right after OKs (a process of its own) loses no acknowledged event, the other nodes'
 * live subscribers get every acknowledged event exactly once (those it committed but never
 * published are caught up from the commit journal), and the restarted node serves them and goes
 * on numbering; the NATS server killed and restarted: events committed meanwhile still reach
 * still-open subscriptions on other nodes (from the journal), once, and NATS carries them again
 * after the reconnection.
 */
class ClusterFaultTest {
    @TempDir
    Path dir;

    private TestCluster cluster;
    private final List<WsClient> clients = new ArrayList<>();
    private final SecretKey alice = SecretKey.generate();
    private final long now = System.currentTimeMillis() / 1000;

    @AfterEach
    void close() throws Exception {
        clients.forEach(WsClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private WsClient connect(String url) {
        WsClient c = WsClient.connect(url);
        clients.add(c);
        return c;
    }

    private Filter mine() {
        return Filter.builder().authors(alice.publicKey().hex()).build();
    }

    private WsClient subscribed(String url) {
        WsClient c = connect(url);
        c.req("live", mine());
        c.awaitEose("live");
        return c;
    }

    /** Ids received more than once on {@code sub}. */
    private static Set<String> repeated(WsClient c, String sub) {
        Map<String, Long> counts = c.eventIds(sub).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @Test
    void nip01KillNineOfOneNodeLosesNoAcknowledgedEventAndItsLiveDeliveryOnTheOthers() throws Exception {
        cluster = TestCluster.startOnDatabase(dir, "cluster_kill");
        TestCluster.Node b = cluster.node("node-b");
        TestCluster.Node c = cluster.node("node-c");
        WsClient onB = subscribed(b.url());
        WsClient onC = subscribed(c.url());
        Set<String> acknowledged = new HashSet<>();
        try (RelayProcess a = RelayProcess.start(cluster.processFlags("node-a").toArray(String[]::new))) {
            List<WsClient> publishers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                publishers.add(connect(a.url()));
            }
            for (int round = 0; round < 300; round++) {
                for (WsClient p : publishers) {
                    p.send(new ClientMessage.EventMsg(event(alice, 1, now, "round " + round + " " + System.nanoTime())).toJson());
                }
            }
            publishers.getFirst().await("100 OKs", ms -> ms.stream().filter(m -> m instanceof RelayMessage.Ok).count() >= 100);
            a.kill9();
            for (WsClient p : publishers) {
                for (RelayMessage m : p.parsed()) {
                    if (m instanceof RelayMessage.Ok ok && ok.accepted()) {
                        acknowledged.add(ok.eventId());
                    }
                }
            }
        }
        assertTrue(acknowledged.size() >= 100, "acknowledged before the kill: " + acknowledged.size());
        for (WsClient live : List.of(onB, onC)) {
            MessageLog.until("every acknowledged event live", () -> live.eventIds("live").containsAll(acknowledged));
        }
        b.awaitPolls(2);
        c.awaitPolls(2);
        for (WsClient live : List.of(onB, onC)) {
            assertEquals(Set.of(), repeated(live, "live"));
        }
        for (TestCluster.Node n : List.of(b, c)) {
            assertEquals(acknowledged, served(n.url(), acknowledged), "served by " + n.id());
        }
        try (RelayProcess again = RelayProcess.start(cluster.processFlags("node-a").toArray(String[]::new))) {
            assertEquals(acknowledged, served(again.url(), acknowledged), "served by the restarted node");
            Event after = event(alice, 1, now, "after the restart");
            assertTrue(connect(again.url()).publish(after).accepted());
            onB.awaitEvent("live", after.id());
            onC.awaitEvent("live", after.id());
            b.awaitPolls(2);
            assertEquals(Set.of(), repeated(onB, "live"));
        }
    }

    /** The ids of {@code ids} a node serves to a REQ. */
    private Set<String> served(String url, Set<String> ids) {
        WsClient reader = connect(url);
        List<String> all = new ArrayList<>(ids);
        Set<String> found = new HashSet<>();
        for (int from = 0; from < all.size(); from += 500) {
            found.addAll(reader.query("q" + from, Filter.builder().ids(all.subList(from, Math.min(all.size(), from + 500))).build()));
        }
        return found;
    }

    @Test
    void nip01WhileNatsIsDownEventsStillReachOtherNodesFromTheJournalAndOnceAfterItsRestart() throws Exception {
        cluster = TestCluster.start(dir, "cluster_nats");
        TestCluster.Node a = cluster.node("node-a");
        TestCluster.Node b = cluster.node("node-b");
        WsClient onB = subscribed(b.url());
        String connected = "parrhesia_cluster_nats_connected";
        cluster.nats.kill();
        MessageLog.until("both nodes disconnected", () -> a.metric(connected) == 0 && b.metric(connected) == 0);
        List<String> during = new ArrayList<>();
        WsClient pub = connect(a.url());
        for (int i = 0; i < 20; i++) {
            Event e = event(alice, 1, now, "while NATS is down #" + i);
            assertTrue(pub.publish(e).accepted());
            during.add(e.id());
        }
        MessageLog.until("caught up from the journal", () -> onB.eventIds("live").containsAll(during));
        assertEquals(20, b.metric("parrhesia_cluster_events_received_total{via=\"journal\"}"));
        cluster.nats.restart();
        MessageLog.until("both nodes reconnected", () -> a.metric(connected) == 1 && b.metric(connected) == 1);
        double natsBefore = b.metric("parrhesia_cluster_events_received_total{via=\"nats\"}");
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Event e = event(alice, 1, now, "after the restart #" + i);
            assertTrue(pub.publish(e).accepted());
            after.add(e.id());
        }
        MessageLog.until("the rest over NATS", () -> onB.eventIds("live").containsAll(after));
        b.awaitPolls(2);
        assertEquals(40, onB.eventIds("live").size(), onB.eventIds("live").toString());
        assertEquals(Set.of(), repeated(onB, "live"));
        assertTrue(b.metric("parrhesia_cluster_events_received_total{via=\"nats\"}") > natsBefore, "NATS carries events again");
    }
}
