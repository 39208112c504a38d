package nostr.bench.relay;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;

/**
 * Cross-node delivery of a parrhesia cluster (relay/README.md "Cluster"): {@code --subscribers}
 * connections on every node hold a subscription each new note of this run matches; then notes
 * are published and every subscriber on every node must receive every note once.
 *
 * <ul>
 *   <li><b>latency</b>: one connection publishes {@code --latency-events} notes to the first node
 *       at {@code --latency-rate} per second (below saturation); publish-to-receive latency of each
 *       delivery, separately for subscribers on the publishing node and on the other nodes.
 *   <li><b>throughput</b>: {@code --publishers} connections on every node publish
 *       {@code --throughput-events} notes in total, as fast as {@code --window} allows; OKs per
 *       second over the cluster, deliveries per second, notes per second fully delivered on every
 *       node, and latency under that load (same node / other nodes).
 * </ul>
 */
final class ClusterScenario {
    private static final String SUB = "c";

    /** What a phase asks for. */
    record Phase(String name, int events, int publishersPerNode, int window, double rate, boolean fromFirstNodeOnly) {}

    private ClusterScenario() {}

    static ResultLine run(List<URI> nodes, int subscribersPerNode, Phase phase, long seed, java.time.Duration timeout,
                          PrintStream log) throws IOException, InterruptedException {
        int n = nodes.size();
        int k = phase.events();
        long since = Instant.now().getEpochSecond();
        String tag = "cluster-" + Long.toHexString(new SplittableRandom(seed ^ System.nanoTime()).nextLong());
        List<byte[]> events = sign(k, since, tag);
        Map<String, Integer> indexOfId = new HashMap<>(k * 2);
        for (int i = 0; i < k; i++) {
            indexOfId.put(EventPublisher.idOf(events.get(i), i), i);
        }
        // Which node each note goes to: all to the first, or contiguous shares per node.
        int[] originOf = new int[k];
        int share = (k + n - 1) / n;
        for (int i = 0; i < k; i++) {
            originOf[i] = phase.fromFirstNodeOnly() ? 0 : Math.min(n - 1, i / share);
        }
        Shared shared = new Shared(k, n * subscribersPerNode, indexOfId, originOf);
        byte[] req = ("[\"REQ\",\"" + SUB + "\",{\"kinds\":[1],\"#t\":[\"" + tag + "\"],\"since\":" + since + "}]")
                .getBytes(StandardCharsets.UTF_8);
        List<Subscriber> subscribers = new ArrayList<>();
        ResultLine r = new ResultLine().put("phase", phase.name()).put("nodes", n).put("subscribers_per_node", subscribersPerNode)
                .put("events", k).put("publishers_per_node", phase.fromFirstNodeOnly() ? null : phase.publishersPerNode())
                .put("window", phase.window()).put("rate", phase.rate() > 0 ? phase.rate() : null);
        try {
            for (int node = 0; node < n; node++) {
                for (int s = 0; s < subscribersPerNode; s++) {
                    Subscriber sub = new Subscriber(shared, node);
                    sub.connection = WebSocketConnection.open(nodes.get(node), sub, 16 * 1024, 30_000);
                    sub.connection.sendTextNow(req);
                    subscribers.add(sub);
                }
            }
            if (!shared.eose.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return r.put("complete", false).put("failure", "subscriptions did not all get their EOSE");
            }
            log.printf("cluster %s: %d subscriptions on each of %d nodes live; publishing %,d notes%n", phase.name(),
                    subscribersPerNode, n, k);
            AtomicLongArray sentAt = shared.sentAt;
            List<EventPublisher.Outcome> outcomes = new ArrayList<>();
            List<Thread> publishers = new ArrayList<>();
            AtomicReference<Exception> error = new AtomicReference<>();
            int origins = phase.fromFirstNodeOnly() ? 1 : n;
            EventPublisher.Outcome[] slots = new EventPublisher.Outcome[origins];
            for (int node = 0; node < origins; node++) {
                int from = phase.fromFirstNodeOnly() ? 0 : Math.min(k, node * share);
                int to = phase.fromFirstNodeOnly() ? k : Math.min(k, (node + 1) * share);
                int slot = node;
                URI url = nodes.get(node);
                int connections = phase.fromFirstNodeOnly() ? 1 : phase.publishersPerNode();
                double rate = phase.rate() / origins;
                publishers.add(Thread.ofVirtual().start(() -> {
                    try {
                        slots[slot] = EventPublisher.publish(url, events::get, from, to, connections, phase.window(), rate,
                                timeout, (i, nanos) -> {
                                    sentAt.set(i, nanos);
                                    shared.firstSend.accumulateAndGet(nanos, (a, b) -> a == 0 ? b : Math.min(a, b));
                                }, "cluster publish to node " + (slot + 1), log);
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        error.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : publishers) {
                t.join();
            }
            if (error.get() != null) {
                return r.put("complete", false).put("failure", "publishing: " + error.get());
            }
            outcomes.addAll(List.of(slots));
            boolean allReceived = shared.done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            long deliveries = shared.deliveries.sum();
            long expected = (long) k * n * subscribersPerNode;
            long stored = 0;
            long answered = 0;
            long firstSend = Long.MAX_VALUE;
            long lastOk = 0;
            String pubFailure = null;
            for (EventPublisher.Outcome o : outcomes) {
                stored += o.stored();
                answered += o.answered();
                firstSend = Math.min(firstSend, o.firstSendNanos());
                lastOk = Math.max(lastOk, o.lastOkNanos());
                if (o.failure() != null) {
                    pubFailure = o.failure();
                }
            }
            double publishSeconds = Math.max(1, lastOk - firstSend) / 1e9;
            double seconds = Math.max(1, shared.lastReceive.get() - shared.firstSend.get()) / 1e9;
            boolean complete = allReceived && deliveries == expected && stored == k && pubFailure == null
                    && shared.failure.get() == null;
            r.put("ok_per_s", Math.round(answered / publishSeconds))
                    .put("stored", stored)
                    .put("deliveries", deliveries)
                    .put("expected_deliveries", expected)
                    .put("seconds", Math.round(seconds * 1000) / 1000.0)
                    .put("deliveries_per_s", Math.round(deliveries / seconds))
                    .put("notes_fully_delivered_per_s", Math.round(k / seconds))
                    .put("latency_same_node_ms", ResultLine.latencyMillis(shared.sameNode))
                    .put("latency_other_nodes_ms", ResultLine.latencyMillis(shared.otherNodes))
                    .put("complete", complete)
                    .put("failure", complete ? null : shared.failure.get() != null ? shared.failure.get()
                            : pubFailure != null ? "publish: " + pubFailure
                            : stored != k ? "only " + stored + " of " + k + " notes stored"
                            : (expected - deliveries) + " deliveries missing of " + expected);
            log.printf("cluster %s: %,d deliveries (expected %,d) in %.2f s = %,.0f deliveries/s, %,.0f notes/s everywhere; "
                    + "%,.0f OK/s%n", phase.name(), deliveries, expected, seconds, deliveries / seconds, k / seconds,
                    answered / publishSeconds);
            for (var g : List.of(Map.entry("same node", shared.sameNode), Map.entry("other nodes", shared.otherNodes))) {
                LatencyHistogram h = g.getValue();
                if (h.count() > 0) {
                    log.printf("cluster %s: latency to %s p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n", phase.name(),
                            g.getKey(), ResultLine.millis(h.percentile(50)), ResultLine.millis(h.percentile(95)),
                            ResultLine.millis(h.percentile(99)), ResultLine.millis(h.max()));
                }
            }
            if (!complete) {
                log.println("cluster " + phase.name() + ": FAILED: " + r.get("failure"));
            }
            return r;
        } finally {
            shared.closing = true;
            subscribers.parallelStream().forEach(sub -> sub.connection.close(2000));
        }
    }

    /** Fresh notes of this run (tagged with {@code tag}, created_at = {@code since}), signed on all cores. */
    private static List<byte[]> sign(int count, long since, String tag) {
        SecretKey[] keys = IntStream.range(0, 16).mapToObj(i -> SecretKey.generate()).toArray(SecretKey[]::new);
        return IntStream.range(0, count).parallel().mapToObj(i -> new EventTemplate(since, 1, List.of(List.of("t", tag)),
                "cluster note " + i + ": the quick brown fox jumps over the lazy dog").sign(keys[i % keys.length])
                .json().getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static final class Shared {
        final int events;
        final Map<String, Integer> indexOfId;
        final int[] originOf;
        final AtomicLongArray sentAt;
        final CountDownLatch eose;
        final CountDownLatch done;
        final LongAdder deliveries = new LongAdder();
        final AtomicLong firstSend = new AtomicLong();
        final AtomicLong lastReceive = new AtomicLong();
        final AtomicReference<String> failure = new AtomicReference<>();
        final LatencyHistogram sameNode = new LatencyHistogram();
        final LatencyHistogram otherNodes = new LatencyHistogram();
        final byte[] eventPrefix = RelayReplies.prefix("EVENT", SUB);
        final byte[] eoseMessage = ("[\"EOSE\",\"" + SUB + "\"]").getBytes(StandardCharsets.US_ASCII);
        volatile boolean closing;

        Shared(int events, int subscribers, Map<String, Integer> indexOfId, int[] originOf) {
            this.events = events;
            this.indexOfId = indexOfId;
            this.originOf = originOf;
            this.sentAt = new AtomicLongArray(events);
            this.eose = new CountDownLatch(subscribers);
            this.done = new CountDownLatch(subscribers);
        }
    }

    /** One subscriber on one node: counts this run's notes, each once, and times them against their send. */
    private static final class Subscriber implements WebSocketConnection.Listener {
        final Shared shared;
        final int node;
        volatile WebSocketConnection connection;
        boolean live;           // reader thread only
        int received;           // reader thread only
        java.util.BitSet seen;  // reader thread only

        Subscriber(Shared shared, int node) {
            this.shared = shared;
            this.node = node;
            this.seen = new java.util.BitSet(shared.events);
        }

        @Override
        public void onText(WebSocketConnection c, byte[] b, int len) {
            if (RelayReplies.startsWith(b, len, shared.eventPrefix, 0)) {
                long now = System.nanoTime();
                int at = RelayReplies.eventIdOffset(b, len, shared.eventPrefix);
                Integer i = at < 0 ? null : shared.indexOfId.get(new String(b, at, 64, StandardCharsets.ISO_8859_1));
                if (i == null) {
                    return;
                }
                if (seen.get(i)) {
                    shared.failure.compareAndSet(null, "a subscriber on node " + (node + 1) + " got note " + i + " twice");
                    return;
                }
                seen.set(i);
                long sent = shared.sentAt.get(i);
                if (live && sent != 0 && now >= sent) {
                    (shared.originOf[i] == node ? shared.sameNode : shared.otherNodes).record(now - sent);
                }
                shared.deliveries.increment();
                shared.lastReceive.accumulateAndGet(now, Math::max);
                if (++received == shared.events) {
                    shared.done.countDown();
                }
            } else if (!live && RelayReplies.startsWith(b, len, shared.eoseMessage, 0)) {
                live = true;
                shared.eose.countDown();
            } else {
                RelayReplies.Verb v = RelayReplies.verb(b, len);
                if (v == RelayReplies.Verb.CLOSED || v == RelayReplies.Verb.NOTICE) {
                    shared.failure.compareAndSet(null, "a subscriber on node " + (node + 1) + " got " + RelayReplies.text(b, len));
                }
            }
        }

        @Override
        public void onClosed(WebSocketConnection c, int code, String reason, Throwable error) {
            if (!shared.closing) {
                shared.failure.compareAndSet(null, "subscriber on node " + (node + 1) + " ended: "
                        + (error != null ? error.toString() : "close " + code + " " + reason));
                if (!live) {
                    shared.eose.countDown();
                }
                if (received < shared.events) {
                    shared.done.countDown();
                }
            }
        }
    }
}
