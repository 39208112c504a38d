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
 *
 * <p>In cluster mode two more things pass through here. Events this node accepted are handed to a
 * {@link Forwarder} (which publishes them to the other nodes) as they are queued. Events other
 * nodes stored arrive through {@link #remote}, each numbered with an <em>arrival</em> number
 * (1, 2, 3, ... in the order they are queued): every remote event with an arrival number at most
 * {@link #remoteArrivals()} was committed before that value was read, which is what a
 * subscription's stored phase needs to know (see {@code Subscription}).
 */
public final class FanOut implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    private static final Batch STOP = new Batch(-2, List.of(), -1);
    /** Deliveries after which touched connections are flushed even in the middle of a batch. */
    static final int FLUSH_EVERY = 4096;

    /**
     * Queued events: a committed batch ({@code seq >= 0}), an ephemeral event ({@code seq = -1}), or
     * remote events ({@code seq = -1}) numbered from {@code firstArrival} (or -1 when ephemeral).
     */
    private record Batch(long seq, List<Event> events, long firstArrival) {}

    /** Where events this node accepted go besides its own subscribers (cluster mode: NATS). */
    public interface Forwarder {
        /** Events the writer just committed, in commit order (the writer's thread). */
        void committed(List<Event> events);

        /** An ephemeral event this node accepted (never stored). */
        void ephemeral(Event event);
    }

    private static final Forwarder NOWHERE = new Forwarder() {
        @Override
        public void committed(List<Event> events) {
        }

        @Override
        public void ephemeral(Event event) {
        }
    };

    private final SubscriptionIndex index;
    private final BlockingQueue<Batch> queue;
    private final LongConsumer deliveries;
    private final Forwarder forwarder;
    private final Thread thread;
    private volatile long completedSeq = -1;
    private volatile long remoteArrivals;
    private volatile long remoteDelivered;
    private volatile long remoteSettled = -1;

    // Fan-out thread only: per-event state reused across events.
    private final HashMap<String, byte[]> framesBySubId = new HashMap<>();
    private byte[] raw;
    private Event current;
    private long currentSeq;
    private long currentArrival;
    private long currentSettled;
    private long delivered;
    private long sinceFlush;
    private final java.util.IdentityHashMap<Outbox, Boolean> touched = new java.util.IdentityHashMap<>();

    /**
     * @param capacity batches waiting before publishers block
     * @param deliveries told how many deliveries each event made (metrics)
     */
    public FanOut(SubscriptionIndex index, int capacity, LongConsumer deliveries) {
        this(index, capacity, deliveries, NOWHERE);
    }

    /** As above, handing the events this node accepts to {@code forwarder} too (cluster mode). */
    public FanOut(SubscriptionIndex index, int capacity, LongConsumer deliveries, Forwarder forwarder) {
        this.index = index;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.deliveries = deliveries;
        this.forwarder = forwarder;
        this.thread = Thread.ofPlatform().name("fanout").daemon(true).unstarted(this::run);
        thread.start();
    }

    /**
     * Queues events the writer just committed (possibly none, which still advances
     * {@link #completedSeq}) and forwards them. Called by the single writer, in sequence order.
     */
    public void committed(long seq, List<Event> events) throws InterruptedException {
        queue.put(new Batch(seq, events, -1));
        if (!events.isEmpty()) {
            forwarder.committed(events);
        }
    }

    /** Queues an ephemeral event (verified, never stored) and forwards it. */
    public void ephemeral(Event event) throws InterruptedException {
        queue.put(new Batch(-1, List.of(event), -1));
        forwarder.ephemeral(event);
    }

    /**
     * Queues events another node committed, numbering them with the next arrival numbers. One
     * caller at a time (cluster mode's remote feed), in the order it received them.
     */
    public void remote(List<Event> events) throws InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        long first = remoteArrivals + 1;
        remoteArrivals = first + events.size() - 1;
        queue.put(new Batch(-1, events, first));
    }

    /** Queues an ephemeral event another node accepted. */
    public void remoteEphemeral(Event event) throws InterruptedException {
        queue.put(new Batch(-1, List.of(event), -1));
    }

    /** The arrival number of the last remote event queued (0 before the first). */
    public long remoteArrivals() {
        return remoteArrivals;
    }

    /** The arrival number of the last remote event handed to subscriptions. */
    public long remoteDelivered() {
        return remoteDelivered;
    }

    /**
     * The remote feed's latest settled generation: subscriptions whose stored phase ended before
     * that generation began can stop checking remote events against what their stored phase sent
     * (see {@code Subscription}).
     */
    public void settleRemote(long generation) {
        remoteSettled = generation;
    }

    /** The latest generation {@link #settleRemote} was told (-1 before the first). */
    public long remoteSettled() {
        return remoteSettled;
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
            currentSettled = remoteSettled;
            List<Event> events = b.events();
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                try {
                    fanOut(e, b.seq(), b.firstArrival() < 0 ? -1 : b.firstArrival() + i);
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
            if (b.firstArrival() > 0) {
                remoteDelivered = b.firstArrival() + events.size() - 1;
            }
        }
    }

    private void fanOut(Event e, long seq, long arrival) {
        current = e;
        currentSeq = seq;
        currentArrival = arrival;
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
        s.deliver(current.id(), frame, currentSeq, currentArrival, currentSettled);
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
