package nostr.relay.subscription;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;
import nostr.core.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers committed and ephemeral events to the live subscriptions they match.
 *
 * <p>One thread, fed in commit order by the writer (and by ingest for ephemeral events, which
 * are never stored): batches come through a bounded queue, so a fan-out backlog slows the writer
 * down instead of growing. For each event the {@link SubscriptionIndex} yields the matching
 * subscriptions; the {@code ["EVENT",id,raw]} message is built once per distinct subscription id
 * (clients often reuse ids) from the raw bytes encoded once, and the same array is queued to
 * every connection. Messages are queued without sending, and each touched connection is flushed
 * when no further batch is waiting (or every {@value #FLUSH_EVERY} deliveries), so under load a connection gets many
 * events per write. Sending is the connections' business: this thread never touches a socket.
 */
public final class FanOut implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    private static final Batch STOP = new Batch(-2, List.of());
    /** Deliveries after which touched connections are flushed even in the middle of a batch. */
    static final int FLUSH_EVERY = 4096;

    private record Batch(long seq, List<Event> events) {}

    private final SubscriptionIndex index;
    private final BlockingQueue<Batch> queue;
    private final LongConsumer deliveries;
    private final Thread thread;
    private volatile long completedSeq = -1;

    // Fan-out thread only: per-event state reused across events.
    private final HashMap<String, byte[]> framesBySubId = new HashMap<>();
    private byte[] raw;
    private Event current;
    private long currentSeq;
    private long delivered;
    private long sinceFlush;
    private final java.util.IdentityHashMap<Outbox, Boolean> touched = new java.util.IdentityHashMap<>();

    /**
     * @param capacity batches waiting before publishers block
     * @param deliveries told how many deliveries each event made (metrics)
     */
    public FanOut(SubscriptionIndex index, int capacity, LongConsumer deliveries) {
        this.index = index;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.deliveries = deliveries;
        this.thread = Thread.ofPlatform().name("fanout").daemon(true).unstarted(this::run);
        thread.start();
    }

    /**
     * Queues events the writer just committed (possibly none, which still advances
     * {@link #completedSeq}). Called by the single writer, in sequence order.
     */
    public void committed(long seq, List<Event> events) throws InterruptedException {
        queue.put(new Batch(seq, events));
    }

    /** Queues an ephemeral event (verified, never stored). */
    public void ephemeral(Event event) throws InterruptedException {
        queue.put(new Batch(-1, List.of(event)));
    }

    /** The sequence of the last committed batch fully handed to subscriptions. */
    public long completedSeq() {
        return completedSeq;
    }

    private final SubscriptionIndex.MatchVisitor visitor = this::deliver;

    private void run() {
        while (true) {
            Batch b;
            try {
                b = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (b == STOP) {
                return;
            }
            for (Event e : b.events()) {
                try {
                    fanOut(e, b.seq());
                } catch (RuntimeException ex) {
                    LOG.error("fan-out of event {} failed", e.id(), ex);
                }
                if (sinceFlush >= FLUSH_EVERY) {
                    flushTouched();
                }
            }
            // Another batch already waiting: keep collecting, up to FLUSH_EVERY deliveries.
            if (queue.isEmpty() || sinceFlush >= FLUSH_EVERY) {
                flushTouched();
            }
            if (b.seq() >= 0) {
                completedSeq = b.seq();
            }
        }
    }

    private void fanOut(Event e, long seq) {
        current = e;
        currentSeq = seq;
        raw = null;
        delivered = 0;
        index.forEachMatch(e, visitor);
        if (!framesBySubId.isEmpty()) {
            framesBySubId.clear();
        }
        current = null;
        if (delivered > 0) {
            deliveries.accept(delivered);
        }
    }

    private void flushTouched() {
        if (!touched.isEmpty()) {
            for (Outbox o : touched.keySet()) {
                o.flush();
            }
            touched.clear();
        }
        sinceFlush = 0;
    }

    private void deliver(Subscription s) {
        if (!s.visibility().admits(current)) {
            return;
        }
        if (raw == null) {
            raw = current.json().getBytes(StandardCharsets.UTF_8);
        }
        byte[] frame = framesBySubId.get(s.id());
        if (frame == null) {
            frame = s.frame(raw);
            framesBySubId.put(s.id(), frame);
        }
        s.deliver(current.id(), frame, currentSeq);
        touched.put(s.outbox(), Boolean.TRUE);
        delivered++;
        sinceFlush++;
    }

    /** Delivers what is queued, then stops the thread. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
