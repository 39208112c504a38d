package nostr.bench.relay;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Publishes a range of pre-signed events over several connections, each keeping at most
 * {@code window} EVENTs unanswered, and collects every OK: how many the relay accepted, how many
 * it called duplicates, how many it refused and why (by NIP-01 prefix), and the latency from
 * sending an EVENT to reading its OK. Event {@code i} goes to connection {@code i % connections}.
 * With a rate, sends are paced (open loop, spread evenly over the connections) instead of as
 * fast as the window allows, which measures latency at a load below saturation.
 *
 * <p>Sends are buffered and flushed when the window is full or the run ends, so a window of
 * EVENTs leaves in a few TCP segments, as a real busy client's would.
 */
final class EventPublisher {
    private static final byte[] EVENT_OPEN = "[\"EVENT\",".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_CLOSE = "]".getBytes(StandardCharsets.US_ASCII);

    /** Called with an event's index and the nanoTime just before it was written. */
    interface SendObserver {
        void sent(int index, long nanos);
    }

    /**
     * What came back.
     *
     * @param sent EVENTs written
     * @param okTrue OK true by message prefix ("" for none, "duplicate", ...)
     * @param okFalse OK false by message prefix
     * @param unmatched OKs for ids this run did not send (or answered twice)
     * @param notices NOTICE texts (the first few)
     * @param firstSendNanos nanoTime of the first send
     * @param lastOkNanos nanoTime of the last OK
     * @param latency send-to-OK latency of every answered EVENT
     * @param failure why the run stopped early, or null
     */
    record Outcome(long sent, Map<String, Long> okTrue, Map<String, Long> okFalse, long unmatched, List<String> notices,
                   long firstSendNanos, long lastOkNanos, LatencyHistogram latency, String failure) {

        long answered() {
            return sum(okTrue) + sum(okFalse);
        }

        /** Accepted and not a duplicate: stored (or superseded) by this run. */
        long stored() {
            return sum(okTrue) - okTrue.getOrDefault("duplicate", 0L);
        }

        long duplicates() {
            return okTrue.getOrDefault("duplicate", 0L);
        }

        long refused() {
            return sum(okFalse);
        }

        double seconds() {
            return Math.max(1, lastOkNanos - firstSendNanos) / 1e9;
        }

        private static long sum(Map<String, Long> m) {
            long s = 0;
            for (long v : m.values()) {
                s += v;
            }
            return s;
        }
    }

    private EventPublisher() {}

    /**
     * Publishes events {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param events the signed event JSON of an index; each must start with {@code {"id":"}
     * @param rate total EVENTs per second, or 0 for as fast as the windows allow
     * @param label prefix of progress lines on {@code log}
     */
    static Outcome publish(URI url, IntFunction<byte[]> events, int from, int to, int connections, int window,
                           double rate, Duration timeout, SendObserver observer, String label, PrintStream log)
            throws IOException, InterruptedException {
        int lanesCount = Math.max(1, Math.min(connections, to - from));
        Tally tally = new Tally();
        List<Lane> lanes = new ArrayList<>(lanesCount);
        try {
            for (int c = 0; c < lanesCount; c++) {
                int n = countFor(c, from, to, lanesCount);
                Lane lane = new Lane(window, n, tally);
                lane.connection = WebSocketConnection.open(url, lane, 64 * 1024, (int) Math.min(timeout.toMillis(), 30_000));
                lanes.add(lane);
            }
            long intervalNanos = rate > 0 ? (long) (1e9 * lanesCount / rate) : 0;
            long start = System.nanoTime();
            tally.firstSend.set(start);
            long deadline = start + timeout.toNanos();
            List<Thread> senders = new ArrayList<>(lanesCount);
            for (int c = 0; c < lanesCount; c++) {
                Lane lane = lanes.get(c);
                int first = from + c;
                // Lanes start staggered by a fraction of the interval so paced sends interleave.
                long offset = intervalNanos * c / lanesCount;
                senders.add(Thread.ofVirtual().name("publisher-" + c).start(() ->
                        lane.send(events, first, to, lanesCount, start + offset, intervalNanos, deadline, observer)));
            }
            Thread progress = Thread.ofVirtual().name("publisher-progress").start(() -> progress(tally, to - from, label, log));
            try {
                for (Lane lane : lanes) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !lane.done.await(left, TimeUnit.NANOSECONDS)) {
                        tally.fail("timed out after " + timeout.toSeconds() + " s with "
                                + ((to - from) - tally.answered.sum()) + " OKs missing");
                        break;
                    }
                }
                for (Thread t : senders) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            } finally {
                progress.interrupt();
            }
            return new Outcome(tally.sent.sum(), snapshot(tally.okTrue), snapshot(tally.okFalse), tally.unmatched.sum(),
                    List.copyOf(tally.notices), tally.firstSend.get(), tally.lastOk.get(), tally.latency, tally.failure.get());
        } finally {
            for (Lane lane : lanes) {
                lane.closing = true;
            }
            lanes.parallelStream().forEach(l -> l.connection.close(2000));
        }
    }

    private static int countFor(int lane, int from, int to, int lanes) {
        int total = to - from;
        return total / lanes + (lane < total % lanes ? 1 : 0);
    }

    private static void progress(Tally tally, int total, String label, PrintStream log) {
        long last = 0;
        long lastAt = System.nanoTime();
        try {
            while (true) {
                Thread.sleep(5000);
                long now = System.nanoTime();
                long answered = tally.answered.sum();
                log.printf("%s: %,d/%,d OK, %,.0f OK/s over the last %.0f s%n", label, answered, total,
                        (answered - last) / ((now - lastAt) / 1e9), (now - lastAt) / 1e9);
                last = answered;
                lastAt = now;
            }
        } catch (InterruptedException e) {
            // The run ended.
        }
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Counters shared by every lane of one run. */
    private static final class Tally {
        final LongAdder sent = new LongAdder();
        final LongAdder answered = new LongAdder();
        final LongAdder unmatched = new LongAdder();
        final Map<String, LongAdder> okTrue = new ConcurrentHashMap<>();
        final Map<String, LongAdder> okFalse = new ConcurrentHashMap<>();
        final List<String> notices = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicLong firstSend = new AtomicLong();
        final AtomicLong lastOk = new AtomicLong();
        final LatencyHistogram latency = new LatencyHistogram();
        final AtomicReference<String> failure = new AtomicReference<>();

        void fail(String why) {
            failure.compareAndSet(null, why);
        }
    }

    /** One connection: its sender loop and its listener. */
    private static final class Lane implements WebSocketConnection.Listener {
        final Semaphore window;
        final Map<String, Long> pending = new ConcurrentHashMap<>();
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLong remaining;
        final Tally tally;
        volatile WebSocketConnection connection;
        volatile boolean closing;

        Lane(int window, int events, Tally tally) {
            this.window = new Semaphore(window);
            this.remaining = new AtomicLong(events);
            this.tally = tally;
            if (events == 0) {
                done.countDown();
            }
        }

        void send(IntFunction<byte[]> events, int first, int to, int step, long start, long intervalNanos,
                  long deadline, SendObserver observer) {
            try {
                long k = 0;
                for (int i = first; i < to; i += step, k++) {
                    if (intervalNanos > 0) {
                        long due = start + k * intervalNanos;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    if (!window.tryAcquire()) {
                        connection.flush();
                        if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                            return;
                        }
                    }
                    if (done.getCount() == 0) {
                        return;   // the connection ended
                    }
                    byte[] json = events.apply(i);
                    String id = idOf(json, i);
                    long now = System.nanoTime();
                    pending.put(id, now);
                    if (observer != null) {
                        observer.sent(i, now);
                    }
                    connection.sendText(EVENT_OPEN, json, EVENT_CLOSE);
                    tally.sent.increment();
                    if (intervalNanos > 0) {
                        connection.flush();
                    }
                }
                connection.flush();
            } catch (IOException e) {
                tally.fail("sending failed: " + e.getMessage());
                done.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onText(WebSocketConnection c, byte[] b, int len) {
            switch (RelayReplies.verb(b, len)) {
                case OK -> {
                    long now = System.nanoTime();
                    RelayReplies.Ok ok = RelayReplies.ok(b, len);
                    Long sentAt = pending.remove(ok.eventId());
                    if (sentAt == null) {
                        tally.unmatched.increment();
                        return;
                    }
                    tally.latency.record(now - sentAt);
                    (ok.accepted() ? tally.okTrue : tally.okFalse)
                            .computeIfAbsent(ok.prefix(), k -> new LongAdder()).increment();
                    tally.answered.increment();
                    tally.lastOk.accumulateAndGet(now, Math::max);
                    window.release();
                    if (remaining.decrementAndGet() == 0) {
                        done.countDown();
                    }
                }
                case NOTICE -> {
                    if (tally.notices.size() < 10) {
                        tally.notices.add(RelayReplies.text(b, len));
                    }
                }
                default -> { }
            }
        }

        @Override
        public void onClosed(WebSocketConnection c, int code, String reason, Throwable error) {
            if (!closing && remaining.get() > 0) {
                tally.fail("connection " + c.id() + " ended with " + remaining.get() + " OKs missing: "
                        + (error != null ? error.toString() : "close " + code + " " + reason));
            }
            done.countDown();
            // Wake a sender blocked on the window; it sees the lane is done and stops.
            window.release(Integer.MAX_VALUE / 2);
        }
    }

    /** The id of a signed event as our serializer writes it ({@code {"id":"<64 hex>",...}}). */
    static String idOf(byte[] json, int index) {
        if (json.length < 71 || json[0] != '{' || json[1] != '"' || json[2] != 'i' || json[3] != 'd' || json[6] != '"') {
            throw new IllegalArgumentException("event " + index + " does not start with {\"id\":\"");
        }
        return new String(json, 7, 64, StandardCharsets.ISO_8859_1);
    }
}
