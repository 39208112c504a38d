package nostr.bench.relay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;

/**
 * Fan-out: {@code --subscribers} connections each hold {@code ["REQ","f",{"kinds":[1],"since":<now>}]},
 * a subscription every new note matches; once all have their EOSE, {@code --publishers}
 * connections publish {@code --fanout-events} fresh notes. Every subscriber must receive every
 * note: deliveries = events x subscribers. Reports deliveries per second from the first EVENT
 * sent to the last one received, and the publish-to-receive latency of each delivery.
 */
final class FanoutScenario {
    private static final String SUB = "f";

    private FanoutScenario() {}

    static ResultLine run(RelayBenchOptions o, PrintStream log) throws IOException, InterruptedException {
        int k = o.fanoutEvents();
        int s = o.subscribers();
        long since = Instant.now().getEpochSecond();
        List<byte[]> events = signFresh(k, since, o.seed());
        Map<String, Integer> indexOfId = new HashMap<>(k * 2);
        for (int i = 0; i < k; i++) {
            indexOfId.put(EventPublisher.idOf(events.get(i), i), i);
        }
        AtomicLongArray sentAt = new AtomicLongArray(k);
        Shared shared = new Shared(k, s, indexOfId, sentAt);
        byte[] req = ("[\"REQ\",\"" + SUB + "\",{\"kinds\":[1],\"since\":" + since + "}]").getBytes(StandardCharsets.UTF_8);
        ResultLine r = new ResultLine().put("subscribers", s).put("events", k).put("publishers", o.publishers())
                .put("window", o.window());
        List<Subscriber> subscribers = new ArrayList<>(s);
        try {
            log.printf("fanout: opening %,d subscriptions%n", s);
            long open0 = System.nanoTime();
            openAll(o, shared, subscribers, req);
            long deadline = System.nanoTime() + o.timeout().toNanos();
            if (!shared.eose.await(o.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                return r.put("complete", false).put("failure", "only " + (s - shared.eose.getCount())
                        + " subscriptions got their EOSE within " + o.timeout().toSeconds() + " s");
            }
            double openSeconds = (System.nanoTime() - open0) / 1e9;
            log.printf("fanout: %,d subscriptions live after %.1f s; publishing %,d events%n", s, openSeconds, k);
            long self = ProcessHandle.current().pid();
            boolean relayCpu = o.pid() > 0 && o.pid() != self;
            double relay0 = relayCpu ? HostStats.cpuSeconds(o.pid()) : -1;
            double client0 = HostStats.cpuSeconds(self);
            EventPublisher.Outcome pub = EventPublisher.publish(o.url(), events::get, 0, k, o.publishers(), o.window(),
                    o.rate(), o.timeout(), (i, nanos) -> {
                        sentAt.set(i, nanos);
                        shared.firstSend.compareAndSet(0, nanos);
                    }, "fanout publish", log);
            boolean allReceived = shared.done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            double relayCpuS = relayCpu ? HostStats.cpuSeconds(o.pid()) - relay0 : -1;
            double clientCpuS = HostStats.cpuSeconds(self) - client0;
            long deliveries = shared.deliveries.sum();
            long expected = (long) k * s;
            double seconds = Math.max(1, shared.lastReceive.get() - shared.firstSend.get()) / 1e9;
            boolean complete = allReceived && deliveries == expected && pub.failure() == null && pub.stored() == k
                    && shared.failure.get() == null;
            r.put("subscribe_seconds", Math.round(openSeconds * 1000) / 1000.0)
                    .put("stored_before_eose", shared.storedPhaseEvents.sum())
                    .put("publish", IngestScenario.summary(pub))
                    .put("deliveries", deliveries)
                    .put("expected_deliveries", expected)
                    .put("seconds", Math.round(seconds * 1000) / 1000.0)
                    .put("deliveries_per_s", Math.round(deliveries / seconds))
                    .put("delivery_latency_ms", ResultLine.latencyMillis(shared.latency))
                    .put("relay_cpu_us_per_delivery", relayCpu && deliveries > 0
                            ? Math.round(relayCpuS * 1e8 / deliveries) / 100.0 : null)
                    .put("client_cpu_us_per_delivery", deliveries > 0 ? Math.round(clientCpuS * 1e8 / deliveries) / 100.0 : null)
                    .put("subscribers_closed_early", shared.closedEarly.get())
                    .put("complete", complete)
                    .put("failure", complete ? null : failure(shared, pub, allReceived, deliveries, expected));
            log.printf("fanout: %,d deliveries (expected %,d) in %.2f s = %,.0f deliveries/s; publish %,.0f OK/s%n",
                    deliveries, expected, seconds, deliveries / seconds, pub.answered() / pub.seconds());
            if (shared.latency.count() > 0) {
                log.printf("fanout: publish-to-receive latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        ResultLine.millis(shared.latency.percentile(50)), ResultLine.millis(shared.latency.percentile(95)),
                        ResultLine.millis(shared.latency.percentile(99)), ResultLine.millis(shared.latency.max()));
            }
            log.printf("fanout: CPU per delivery while publishing: relay %s, this client %.2f µs%n",
                    relayCpu ? String.format("%.2f µs", relayCpuS * 1e6 / Math.max(1, deliveries)) : "? (no --pid)",
                    clientCpuS * 1e6 / Math.max(1, deliveries));
            if (!complete) {
                log.println("fanout: FAILED: " + r.get("failure"));
            }
            return r;
        } finally {
            shared.closing = true;
            subscribers.parallelStream().forEach(sub -> sub.connection.close(2000));
        }
    }

    private static String failure(Shared shared, EventPublisher.Outcome pub, boolean allReceived, long deliveries, long expected) {
        if (shared.failure.get() != null) {
            return shared.failure.get();
        }
        if (pub.failure() != null) {
            return "publish: " + pub.failure();
        }
        if (pub.stored() != pub.sent()) {
            return "publish: only " + pub.stored() + " of " + pub.sent() + " events stored " + pub.okFalse() + pub.okTrue();
        }
        if (!allReceived) {
            return "timed out with " + (expected - deliveries) + " deliveries missing";
        }
        return deliveries + " deliveries, expected " + expected;
    }

    /** Fresh notes with created_at = {@code since}, signed on all cores (the store must not know them). */
    static List<byte[]> signFresh(int count, long since, long seed) {
        SplittableRandom base = new SplittableRandom(EventCorpus.mix(seed ^ System.nanoTime()));
        long runSalt = base.nextLong();
        SecretKey[] keys = IntStream.range(0, 16).mapToObj(i -> SecretKey.generate()).toArray(SecretKey[]::new);
        return IntStream.range(0, count).parallel().mapToObj(i -> {
            EventTemplate t = new EventTemplate(since, 1, List.of(List.of("t", "fanout")),
                    "fan-out note " + i + " of run " + Long.toHexString(runSalt) + ": the quick brown fox jumps over the lazy dog");
            return t.sign(keys[i % keys.length]).json().getBytes(StandardCharsets.UTF_8);
        }).toList();
    }

    private static void openAll(RelayBenchOptions o, Shared shared, List<Subscriber> subscribers, byte[] req)
            throws IOException, InterruptedException {
        Semaphore parallel = new Semaphore(o.openParallelism());
        AtomicReference<IOException> error = new AtomicReference<>();
        List<Thread> openers = new ArrayList<>();
        Subscriber[] slots = new Subscriber[o.subscribers()];
        for (int i = 0; i < o.subscribers(); i++) {
            parallel.acquire();
            if (error.get() != null) {
                break;
            }
            int slot = i;
            openers.add(Thread.ofVirtual().start(() -> {
                try {
                    Subscriber sub = new Subscriber(shared);
                    sub.connection = WebSocketConnection.open(o.url(), sub, 16 * 1024, 30_000);
                    slots[slot] = sub;
                    sub.connection.sendTextNow(req);
                } catch (IOException e) {
                    error.compareAndSet(null, e);
                } finally {
                    parallel.release();
                }
            }));
        }
        for (Thread t : openers) {
            t.join();
        }
        for (Subscriber sub : slots) {
            if (sub != null && sub.connection != null) {
                subscribers.add(sub);
            }
        }
        if (error.get() != null) {
            throw new IOException("opening subscriber " + (subscribers.size() + 1) + " failed: " + error.get().getMessage(),
                    error.get());
        }
    }

    /** Counters of all subscribers. */
    private static final class Shared {
        final int events;
        final Map<String, Integer> indexOfId;
        final AtomicLongArray sentAt;
        final CountDownLatch eose;
        final CountDownLatch done;
        final LongAdder deliveries = new LongAdder();
        final LongAdder storedPhaseEvents = new LongAdder();
        final AtomicLong firstSend = new AtomicLong();
        final AtomicLong lastReceive = new AtomicLong();
        final AtomicLong closedEarly = new AtomicLong();
        final AtomicReference<String> failure = new AtomicReference<>();
        final LatencyHistogram latency = new LatencyHistogram();
        final byte[] eventPrefix = RelayReplies.prefix("EVENT", SUB);
        final byte[] eoseMessage = ("[\"EOSE\",\"" + SUB + "\"]").getBytes(StandardCharsets.US_ASCII);
        volatile boolean closing;

        Shared(int events, int subscribers, Map<String, Integer> indexOfId, AtomicLongArray sentAt) {
            this.events = events;
            this.indexOfId = indexOfId;
            this.sentAt = sentAt;
            this.eose = new CountDownLatch(subscribers);
            this.done = new CountDownLatch(subscribers);
        }
    }

    /** One subscriber: counts live EVENTs of its subscription and times each against its send. */
    private static final class Subscriber implements WebSocketConnection.Listener {
        final Shared shared;
        volatile WebSocketConnection connection;
        boolean live;       // reader thread only
        int received;       // reader thread only

        Subscriber(Shared shared) {
            this.shared = shared;
        }

        @Override
        public void onText(WebSocketConnection c, byte[] b, int len) {
            if (RelayReplies.startsWith(b, len, shared.eventPrefix, 0)) {
                long now = System.nanoTime();
                if (!live) {
                    shared.storedPhaseEvents.increment();
                    return;
                }
                int at = RelayReplies.eventIdOffset(b, len, shared.eventPrefix);
                if (at >= 0) {
                    Integer i = shared.indexOfId.get(new String(b, at, 64, StandardCharsets.ISO_8859_1));
                    if (i == null) {
                        return;   // someone else's note: not part of this run
                    }
                    long sent = shared.sentAt.get(i);
                    if (sent != 0 && now >= sent) {
                        shared.latency.record(now - sent);
                    }
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
                    shared.failure.compareAndSet(null, "a subscriber got " + RelayReplies.text(b, len));
                }
            }
        }

        @Override
        public void onClosed(WebSocketConnection c, int code, String reason, Throwable error) {
            if (!shared.closing) {
                shared.closedEarly.incrementAndGet();
                shared.failure.compareAndSet(null, "subscriber connection " + c.id() + " ended: "
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
