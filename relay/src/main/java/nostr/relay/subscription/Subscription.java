package nostr.relay.subscription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nostr.core.filter.Filter;
import nostr.core.message.RelayMessage;
import nostr.relay.store.Visibility;

/**
 * One REQ of one connection: its filters, where its messages go, and the hand-over from the
 * stored phase to live delivery.
 *
 * <p><b>Why nothing is missed, sent twice, or sent late.</b> The writer numbers its batches;
 * fan-out handles each batch after its commit, in order. The subscription is put into the
 * {@link SubscriptionIndex} <em>before</em> its stored query starts, so an event committed later
 * reaches it through fan-out. Then the writer's committed sequence is read ({@link #startStored}):
 * every batch up to it is visible to the query, which is therefore the only authority on those
 * events (sent, or left out by {@code limit}); fan-out copies of them are dropped. While the
 * stored phase runs ("catching up") newer live events are buffered here, not sent, and the
 * stored phase records the ids it sends. When it ends the subscription sends EOSE, then the
 * buffered events it did not already send, and turns live. One case remains: the query saw an
 * event committed after {@code startStored} whose fan-out has not happened yet. Its batch number
 * is at most the writer's "started" sequence read after the query ({@code dedupUntilSeq}), so the
 * recorded ids are kept, and checked, until fan-out has passed that number; then they are dropped.
 *
 * <p><b>Events from other nodes</b> (cluster mode) have no number of this node's writer. Their
 * NATS message is published only after the origin's commit, so a remote event this node has
 * received was committed. {@link #startStored} also takes fan-out's {@code remoteArrivals}: every
 * remote event numbered up to it was received, hence committed, before the query began, and is
 * the query's alone. Later ones are buffered while catching up and sent after EOSE unless the
 * query sent them; after EOSE they are checked against the recorded ids until the remote feed has
 * <em>settled</em> a generation that began after the query ended (it read the journal heads, which
 * bound every event the query could see, and fan-out has delivered everything up to them).
 * A remote event committed before the query, received after it began and left out by the query's
 * {@code limit} is sent after EOSE (never twice): this node cannot tell it from a new one.
 *
 * <p>Threads: the stored phase runs on a query thread, live delivery on the fan-out thread,
 * CLOSE on the connection's reader. State changes and buffer access hold this object's monitor;
 * {@link #fanoutMark} belongs to the fan-out thread alone.
 */
public final class Subscription {
    /** Stored-phase messages queued per write (the rest of the batch goes out with EOSE). */
    private static final int STORED_PER_FLUSH = 32;

    /** Live events buffered while catching up, beyond which the subscription is CLOSED. */
    static final int MAX_BUFFERED_LIVE_EVENTS = 10_000;

    private enum State { CATCHING_UP, LIVE, ENDED }

    /** Told when a subscription ends on the relay's side (so its owner forgets it). */
    @FunctionalInterface
    public interface EndListener {
        void ended(Subscription subscription, String closedMessage);
    }

    private record Buffered(String id, byte[] frame, long seq, long arrival) {}

    private final String id;
    private final List<Filter> filters;
    private final Outbox outbox;
    private final EndListener endListener;
    private final byte[] framePrefix;
    private final Visibility visibility;

    private volatile State state = State.CATCHING_UP;
    private List<Buffered> buffered;
    private Set<String> sentStored;
    private long dedupUntilSeq = -1;
    private long storedUpToSeq = -1;
    private long storedUpToArrival = 0;
    /** After EOSE: local events up to dedupUntilSeq are still checked against sentStored. */
    private boolean localDedup;
    /** After EOSE: remote events are checked against sentStored until this generation is settled (-1: not). */
    private long remoteDedupGeneration = -1;

    /** Fan-out thread only: the last event this subscription was handed, to send each event once. */
    long fanoutMark = -1;

    public Subscription(String id, List<Filter> filters, Outbox outbox, EndListener endListener) {
        this(id, filters, outbox, endListener, Visibility.EVERYTHING);
    }

    /**
     * @param visibility what the connection may see (NIP-42 read restrictions, gift wraps),
     *     decided when the REQ arrived; applied to stored and live events alike
     */
    public Subscription(String id, List<Filter> filters, Outbox outbox, EndListener endListener, Visibility visibility) {
        this.visibility = visibility;
        this.id = id;
        this.filters = List.copyOf(filters);
        this.outbox = outbox;
        this.endListener = endListener;
        this.framePrefix = EventFrames.prefix(id);
    }

    public String id() {
        return id;
    }

    public List<Filter> filters() {
        return filters;
    }

    /** What this subscription may see, beyond its filters. */
    public Visibility visibility() {
        return visibility;
    }

    /** True until the stored phase ends (EOSE) or the subscription ends. */
    public boolean isCatchingUp() {
        return state == State.CATCHING_UP;
    }

    public boolean isEnded() {
        return state == State.ENDED;
    }

    /** Where this subscription's messages go (fan-out flushes it after a batch). */
    Outbox outbox() {
        return outbox;
    }

    /** The EVENT message for this subscription's id and an event's raw JSON bytes. */
    byte[] frame(byte[] rawEvent) {
        return EventFrames.frame(framePrefix, rawEvent);
    }

    /**
     * Starts the stored phase (after the subscription is indexed, before its query runs).
     *
     * @param committedSeq the writer's committed sequence now: batches up to it are the query's business
     */
    public void startStored(long committedSeq) {
        startStored(committedSeq, 0);
    }

    /**
     * As {@link #startStored(long)}, in cluster mode.
     *
     * @param remoteArrivals fan-out's {@code remoteArrivals} now: remote events up to it are the query's business
     */
    public void startStored(long committedSeq, long remoteArrivals) {
        synchronized (this) {
            storedUpToSeq = committedSeq;
            storedUpToArrival = remoteArrivals;
        }
    }

    /**
     * True when fan-out's copy of an event (of local batch {@code seq}, or with remote arrival number
     * {@code arrival}) is the stored phase's business.
     */
    private boolean coveredByStoredPhase(long seq, long arrival) {
        return (seq >= 0 && seq <= storedUpToSeq) || (arrival > 0 && arrival <= storedUpToArrival);
    }

    /**
     * Stored phase: sends one stored event, waiting for room in the outbound queue up to the
     * deadline. Returns false when the query should stop (ended, connection gone, deadline).
     */
    public boolean sendStored(String eventId, String rawJson, long deadlineNanos) throws InterruptedException {
        if (state != State.CATCHING_UP || !outbox.awaitRoom(deadlineNanos)) {
            return false;
        }
        byte[] frame = EventFrames.frame(framePrefix, rawJson);
        synchronized (this) {
            // Checked again under the monitor: nothing of an ended subscription is sent.
            if (state != State.CATCHING_UP) {
                return false;
            }
            if (sentStored == null) {
                sentStored = new HashSet<>();
            }
            sentStored.add(eventId);
            if (!outbox.offerDeferred(frame)) {
                return false;
            }
            if (sentStored.size() % STORED_PER_FLUSH == 0) {
                outbox.flush();
            }
            return true;
        }
    }

    /** Sends stored-phase messages still queued (the query stopped without EOSE or CLOSED). */
    public void flushStored() {
        outbox.flush();
    }

    /**
     * Ends the stored phase: EOSE, then the live events buffered meanwhile that the stored phase
     * did not send, then live delivery.
     *
     * @param dedupUntilSeq the writer's started sequence, read after the stored query finished
     * @param fannedOutSeq the last sequence fan-out has fully delivered
     */
    public void finishStored(long dedupUntilSeq, long fannedOutSeq) {
        finishStored(dedupUntilSeq, fannedOutSeq, -1);
    }

    /**
     * As {@link #finishStored(long, long)}, in cluster mode.
     *
     * @param remoteGeneration the remote feed's current generation, read after the stored query
     *     finished (-1 outside cluster mode)
     */
    public void finishStored(long dedupUntilSeq, long fannedOutSeq, long remoteGeneration) {
        synchronized (this) {
            if (state != State.CATCHING_UP) {
                return;
            }
            outbox.offer(RelayMessage.eose(id).getBytes(StandardCharsets.UTF_8));
            if (buffered != null) {
                for (Buffered b : buffered) {
                    if (!coveredByStoredPhase(b.seq(), b.arrival()) && (sentStored == null || !sentStored.contains(b.id()))) {
                        outbox.offer(b.frame());
                    }
                }
                buffered = null;
            }
            this.dedupUntilSeq = dedupUntilSeq;
            localDedup = fannedOutSeq < dedupUntilSeq;
            remoteDedupGeneration = remoteGeneration;
            if (!localDedup && remoteDedupGeneration < 0) {
                sentStored = null;
            }
            state = State.LIVE;
        }
    }

    /**
     * Fan-out: delivers a committed (or ephemeral) event that matches. Live messages are queued
     * without sending; fan-out flushes {@link #outbox()} after its batch.
     *
     * @param seq the commit sequence of its batch, or -1 for an ephemeral event
     */
    void deliver(String eventId, byte[] frame, long seq) {
        deliver(eventId, frame, seq, -1, -1);
    }

    /**
     * As {@link #deliver(String, byte[], long)} for any event.
     *
     * @param seq the commit sequence of its local batch, or -1 (ephemeral or remote)
     * @param arrival its remote arrival number, or -1 (local, or a remote ephemeral event)
     * @param settledGeneration the remote feed's settled generation (see {@link FanOut#settleRemote})
     */
    void deliver(String eventId, byte[] frame, long seq, long arrival, long settledGeneration) {
        boolean overflow = false;
        synchronized (this) {
            if (coveredByStoredPhase(seq, arrival)) {
                return;
            }
            switch (state) {
                case ENDED -> {
                    return;
                }
                case CATCHING_UP -> {
                    if (buffered == null) {
                        buffered = new ArrayList<>();
                    }
                    if (buffered.size() < MAX_BUFFERED_LIVE_EVENTS) {
                        buffered.add(new Buffered(eventId, frame, seq, arrival));
                        return;
                    }
                    overflow = true;
                }
                case LIVE -> {
                    if (sentStored != null && sentByStoredPhase(eventId, seq, arrival, settledGeneration)) {
                        return;
                    }
                    outbox.offerDeferred(frame);
                    return;
                }
            }
        }
        if (overflow) {
            end("error: more than " + MAX_BUFFERED_LIVE_EVENTS
                    + " new events arrived during the initial query; use a narrower filter");
        }
    }

    /**
     * After EOSE, while ids sent by the stored phase are kept: true when this live event is one of
     * them and may have been seen by the query. Forgets the ids once neither local nor remote
     * events can still be such a late copy.
     */
    private boolean sentByStoredPhase(String eventId, long seq, long arrival, long settledGeneration) {
        boolean check = false;
        if (seq >= 0 && localDedup) {
            if (seq <= dedupUntilSeq) {
                check = true;
            } else {
                localDedup = false;
            }
        }
        if (arrival > 0 && remoteDedupGeneration >= 0) {
            if (settledGeneration > remoteDedupGeneration) {
                remoteDedupGeneration = -1;
            } else {
                check = true;
            }
        }
        boolean sent = check && sentStored.contains(eventId);
        if (!localDedup && remoteDedupGeneration < 0) {
            sentStored = null;
        }
        return sent;
    }

    /**
     * Ends the subscription on the relay's side: sends {@code ["CLOSED", id, message]} (message
     * with a NIP-01 machine prefix) and tells the owner. Does nothing if already ended.
     */
    public void end(String closedMessage) {
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
            buffered = null;
            sentStored = null;
        }
        // Forgotten before CLOSED goes out: a client reacting to CLOSED finds the id free.
        endListener.ended(this, closedMessage);
        outbox.offer(RelayMessage.closed(id, closedMessage).getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the subscription silently (client CLOSE, replaced by a REQ with the same id, connection closed). */
    public void cancel() {
        synchronized (this) {
            state = State.ENDED;
            buffered = null;
            sentStored = null;
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + id + ", " + state + ", " + filters + "]";
    }
}
