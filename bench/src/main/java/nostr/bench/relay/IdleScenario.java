package nostr.bench.relay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import nostr.core.Hex;

/**
 * Idle connections: opens {@code --idle-connections} WebSockets ({@code --open-parallelism}
 * handshakes at a time), optionally each with one open subscription ({@code --idle-req}), holds
 * them for {@code --idle-hold}, and reads the relay's resident memory ({@code --pid}) before and
 * after. Then pings every connection and counts the pongs, so the figure is for connections the
 * relay still serves, not ones it silently dropped.
 */
final class IdleScenario {
    private IdleScenario() {}

    static ResultLine run(RelayBenchOptions o, PrintStream log) throws IOException, InterruptedException {
        int n = o.idleConnections();
        ResultLine r = new ResultLine().put("connections", n).put("with_subscription", o.idleReq());
        long fdLimit = HostStats.openFileLimit();
        if (fdLimit >= 0 && fdLimit < n + 64L) {
            return r.put("complete", false).put("failure", "this process may open only " + fdLimit
                    + " files; raise it (ulimit -n " + (n + 1024) + ") to hold " + n + " connections");
        }
        HostStats.ProcessMemory before = o.pid() > 0 ? HostStats.memory(o.pid()) : null;
        HostStats.ProcessMemory selfBefore = HostStats.memory(ProcessHandle.current().pid());
        if (before != null) {
            log.printf("idle: relay pid %d: RSS %.1f MiB, %d threads before%n", before.pid(), before.rssMib(), before.threads());
        } else {
            log.println("idle: no --pid given: the relay's memory is not measured");
        }
        Shared shared = new Shared(n);
        List<WebSocketConnection> connections = new ArrayList<>(n);
        try {
            long t0 = System.nanoTime();
            String failure = openAll(o, shared, connections, log);
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            log.printf("idle: %,d connections open in %.1f s (%,.0f/s)%n", connections.size(), openSeconds,
                    connections.size() / openSeconds);
            if (failure != null) {
                log.println("idle: FAILED: " + failure);
                return r.put("opened", connections.size()).put("complete", false).put("failure", failure);
            }
            if (o.idleReq()) {
                shared.allEose.await(o.timeout().toNanos(), TimeUnit.NANOSECONDS);
                log.printf("idle: %,d subscriptions open%n", shared.eose.sum());
            }
            if (!o.idleHold().isZero()) {
                log.printf("idle: holding for %d s%n", o.idleHold().toSeconds());
                Thread.sleep(o.idleHold().toMillis());
            }
            HostStats.ProcessMemory after = o.pid() > 0 ? HostStats.memory(o.pid()) : null;
            HostStats.ProcessMemory selfAfter = HostStats.memory(ProcessHandle.current().pid());
            // Liveness: every connection must still answer.
            CountDownLatch pongs = shared.expectPongs(connections.size());
            for (WebSocketConnection c : connections) {
                try {
                    c.ping();
                } catch (IOException e) {
                    shared.pingFailures.incrementAndGet();
                }
            }
            pongs.await(Math.min(60, o.timeout().toSeconds()), TimeUnit.SECONDS);
            long alive = connections.size() - pongs.getCount();
            boolean complete = connections.size() == n && alive == n && shared.closedEarly.get() == 0
                    && (!o.idleReq() || shared.eose.sum() == n);
            r.put("opened", connections.size())
                    .put("open_seconds", Math.round(openSeconds * 1000) / 1000.0)
                    .put("opens_per_s", Math.round(connections.size() / openSeconds))
                    .put("subscriptions", o.idleReq() ? shared.eose.sum() : 0)
                    .put("hold_seconds", o.idleHold().toSeconds())
                    .put("answered_ping", alive)
                    .put("closed_early", shared.closedEarly.get())
                    .put("relay", memory(before, after, n))
                    .put("client", memory(selfBefore, selfAfter, n))
                    .put("complete", complete)
                    .put("failure", complete ? null : "only " + alive + " of " + n + " connections answered a ping"
                            + (shared.firstError.get() != null ? " (" + shared.firstError.get() + ")" : ""));
            if (after != null) {
                log.printf("idle: relay RSS %.1f MiB after (+%.1f MiB, %.1f KiB per connection), peak %.1f MiB, %d threads%n",
                        after.rssMib(), after.rssMib() - before.rssMib(), (after.rssKib() - before.rssKib()) / (double) n,
                        after.peakRssKib() / 1024.0, after.threads());
            }
            log.printf("idle: %,d of %,d connections answered a ping; this client's RSS %.1f MiB%n", alive, n,
                    selfAfter.rssMib());
            return r;
        } finally {
            shared.closing = true;
            long t0 = System.nanoTime();
            connections.parallelStream().forEach(c -> c.close(2000));
            log.printf("idle: closed %,d connections in %.1f s%n", connections.size(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static Map<String, Object> memory(HostStats.ProcessMemory before, HostStats.ProcessMemory after, int n) {
        if (before == null || after == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", before.pid());
        m.put("rss_before_mib", Math.round(before.rssMib() * 10) / 10.0);
        m.put("rss_after_mib", Math.round(after.rssMib() * 10) / 10.0);
        m.put("rss_delta_mib", Math.round((after.rssMib() - before.rssMib()) * 10) / 10.0);
        m.put("kib_per_connection", Math.round((after.rssKib() - before.rssKib()) * 10.0 / n) / 10.0);
        m.put("peak_rss_mib", Math.round(after.peakRssKib() / 102.4) / 10.0);
        m.put("threads_before", before.threads());
        m.put("threads_after", after.threads());
        return m;
    }

    private static String openAll(RelayBenchOptions o, Shared shared, List<WebSocketConnection> out, PrintStream log)
            throws InterruptedException {
        int n = o.idleConnections();
        Semaphore parallel = new Semaphore(o.openParallelism());
        WebSocketConnection[] slots = new WebSocketConnection[n];
        AtomicReference<String> error = new AtomicReference<>();
        AtomicInteger opened = new AtomicInteger();
        List<Thread> openers = new ArrayList<>(n);
        for (int i = 0; i < n && error.get() == null; i++) {
            parallel.acquire();
            int slot = i;
            openers.add(Thread.ofVirtual().start(() -> {
                try {
                    WebSocketConnection c = WebSocketConnection.open(o.url(), shared, 512, 30_000);
                    slots[slot] = c;
                    if (o.idleReq()) {
                        // A subscription nothing will match: the relay keeps it indexed, as it would a real client's.
                        byte[] key = new byte[32];
                        new java.util.SplittableRandom(EventCorpus.mix(o.seed() + slot)).nextBytes(key);
                        c.sendTextNow(("[\"REQ\",\"idle\",{\"kinds\":[1],\"authors\":[\"" + Hex.encode(key)
                                + "\"],\"limit\":1}]").getBytes(StandardCharsets.US_ASCII));
                    }
                    int k = opened.incrementAndGet();
                    if (k % 2000 == 0) {
                        log.printf("idle: %,d open%n", k);
                    }
                } catch (IOException e) {
                    error.compareAndSet(null, "opening connection " + (slot + 1) + " failed: " + e.getMessage());
                } finally {
                    parallel.release();
                }
            }));
        }
        for (Thread t : openers) {
            t.join();
        }
        for (WebSocketConnection c : slots) {
            if (c != null) {
                out.add(c);
            }
        }
        return error.get();
    }

    /** One listener for every idle connection. */
    private static final class Shared implements WebSocketConnection.Listener {
        final LongAdder eose = new LongAdder();
        final CountDownLatch allEose;
        final AtomicInteger closedEarly = new AtomicInteger();
        final AtomicInteger pingFailures = new AtomicInteger();
        final AtomicReference<String> firstError = new AtomicReference<>();
        volatile CountDownLatch pongs = new CountDownLatch(0);
        volatile boolean closing;

        Shared(int connections) {
            allEose = new CountDownLatch(connections);
        }

        CountDownLatch expectPongs(int n) {
            pongs = new CountDownLatch(n);
            return pongs;
        }

        @Override
        public void onText(WebSocketConnection c, byte[] b, int len) {
            if (RelayReplies.verb(b, len) == RelayReplies.Verb.EOSE) {
                eose.increment();
                allEose.countDown();
            }
        }

        @Override
        public void onPong(WebSocketConnection c) {
            pongs.countDown();
        }

        @Override
        public void onClosed(WebSocketConnection c, int code, String reason, Throwable error) {
            if (!closing) {
                closedEarly.incrementAndGet();
                allEose.countDown();   // nobody waits for a subscription that cannot come
                firstError.compareAndSet(null, error != null ? error.toString() : "close " + code + " " + reason);
            }
        }
    }
}
