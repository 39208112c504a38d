package nostr.relay.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import nostr.core.event.Event;
import nostr.core.event.InvalidEventException;
import nostr.relay.store.CommitJournal;
import nostr.relay.store.StoreException;
import nostr.relay.subscription.FanOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events other nodes stored, handed to this node's fan-out exactly once each and in each origin's
 * commit order, whatever NATS loses.
 *
 * <p>Every stored event carries its origin's commit journal number (see {@link CommitJournal}).
 * For each origin the feed remembers the last number it handed on ({@code received}). A NATS
 * message with the next number is handed on; one at or below it is a copy of something already
 * caught up (dropped); one further ahead reveals a gap, which is first filled from the journal in
 * PostgreSQL. Messages that never come (NATS down or restarted, a slow-consumer drop at the tail
 * of a stream, a node killed between its commit and its publish) are found by {@link #poll}: every
 * poll reads the heads of all origins and catches up from the journal. For an origin whose
 * messages stopped (nothing handed on since the previous poll) it catches up to the heads the
 * previous poll read: older than one poll interval, while what is younger is most likely still on
 * its way. For an origin whose messages still flow but lag (a saturated node), only up to the heads
 * read {@value #FLOWING_POLLS} polls back (two to three intervals old), so NATS is not raced with
 * the database for copies it is about to bring. After a reconnection {@link #poll(boolean) poll(true)} catches up to the
 * current heads at once. At start the feed begins at the current heads: a node that was not
 * running owes nothing to anybody (its connections died with it).
 *
 * <p><b>Generations</b> tell subscriptions when a remote event can no longer be a late copy of one
 * their stored phase sent (see {@code Subscription}): each poll starts a generation before reading
 * the heads; once everything up to those heads was handed to fan-out and fan-out delivered it, the
 * generation is <em>settled</em> ({@link FanOut#settleRemote}). A poll settles the newest
 * generation whose heads the feed has reached.
 *
 * <p>Threads: NATS's dispatcher calls {@link #onStored}, the cluster's poll thread {@link #poll};
 * both hold one lock while they hand events on, so arrival numbers follow the handing order.
 */
final class RemoteFeed {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteFeed.class);
    /** Journal entries read per query while catching up. */
    static final int PAGE = 500;

    private final CommitJournal journal;
    private final String self;
    private final FanOut fanOut;
    private final ClusterMetrics metrics;
    private final Consumer<List<Event>> alsoStored;
    private final ReentrantLock lock = new ReentrantLock();
    /** Under lock: the last number handed on, per origin. */
    private final Map<String, Long> received = new HashMap<>();
    /** Polls an origin's messages may lag, while they still flow, before the journal catches them up. */
    static final int FLOWING_POLLS = 3;

    /** The heads a poll read, and the generation it began. */
    private record Heads(long generation, Map<String, Long> heads) {}

    /** Poll thread only: the heads of the last {@value #FLOWING_POLLS} polls (oldest first). */
    private final java.util.ArrayDeque<Heads> history = new java.util.ArrayDeque<>();
    /** Poll thread only: {@link #received} as the previous poll left it. */
    private Map<String, Long> receivedAtLastPoll = Map.of();
    private long settled = -1;
    private final List<long[]> pendingSettle = new ArrayList<>();
    private volatile long generation;

    /** @param alsoStored told of the events handed on (after fan-out got them): this node's negentropy index */
    RemoteFeed(CommitJournal journal, String self, FanOut fanOut, ClusterMetrics metrics, Consumer<List<Event>> alsoStored) {
        this.alsoStored = alsoStored;
        this.journal = journal;
        this.self = self;
        this.fanOut = fanOut;
        this.metrics = metrics;
    }

    /** Begins at the current heads of every origin. */
    void start() throws StoreException {
        Map<String, Long> heads = journal.heads();
        lock.lock();
        try {
            received.putAll(heads);
            receivedAtLastPoll = Map.copyOf(received);
        } finally {
            lock.unlock();
        }
        history.add(new Heads(0, heads));
    }

    /** The generation begun by the latest poll (0 before the first). */
    long generation() {
        return generation;
    }

    /** The last number handed on for {@code origin} (0 if none). */
    long received(String origin) {
        lock.lock();
        try {
            return received.getOrDefault(origin, 0L);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stored event's NATS message: handed on when it is the origin's next; a gap before it is
     * caught up from the journal first. When the journal cannot be read the message is dropped and
     * the next poll catches up (this one included).
     *
     * @return true when this message's event was handed on now
     */
    boolean onStored(ClusterMessage.Stored m) throws InterruptedException {
        if (m.origin().equals(self)) {
            return false;
        }
        lock.lock();
        try {
            long last = received.getOrDefault(m.origin(), 0L);
            if (m.seq() <= last) {
                metrics.duplicate();
                return false;
            }
            if (m.seq() > last + 1) {
                metrics.gap();
                if (!catchUp(m.origin(), last, m.seq() - 1)) {
                    return false;
                }
            }
            Event e = parse(m.origin(), m.seq(), m.json());
            received.put(m.origin(), m.seq());
            if (e != null) {
                fanOut.remote(List.of(e));
                alsoStored.accept(List.of(e));
                metrics.received("nats", 1);
                if (m.committedMillis() > 0) {
                    metrics.lag(System.currentTimeMillis() - m.committedMillis());
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** An ephemeral event of another node: fan-out only, nothing to order or catch up. */
    void onEphemeral(ClusterMessage.Ephemeral m) throws InterruptedException {
        if (m.origin().equals(self)) {
            return;
        }
        Event e = parse(m.origin(), 0, m.json());
        if (e != null) {
            fanOut.remoteEphemeral(e);
            metrics.received("ephemeral", 1);
        }
    }

    /**
     * Begins a generation, reads every origin's head and catches up from the journal (see the class
     * comment for how far), or with {@code toCurrentHeads} (after a reconnection) to the heads just
     * read. Then settles what fan-out has delivered.
     */
    void poll(boolean toCurrentHeads) throws InterruptedException {
        long gen = generation + 1;
        generation = gen;
        Map<String, Long> heads;
        try {
            heads = journal.heads();
            metrics.poll(true);
        } catch (StoreException e) {
            metrics.poll(false);
            LOG.warn("cluster: cannot read the commit journal heads, catching up later: {}", e.getMessage());
            return;
        }
        Map<String, Long> previous = history.getLast().heads();
        Map<String, Long> oldest = history.getFirst().heads();
        history.add(new Heads(gen, heads));
        while (history.size() > FLOWING_POLLS) {
            history.removeFirst();
        }
        lock.lock();
        try {
            for (Map.Entry<String, Long> h : heads.entrySet()) {
                String origin = h.getKey();
                if (origin.equals(self)) {
                    continue;
                }
                long last = received.getOrDefault(origin, 0L);
                boolean flowing = last > receivedAtLastPoll.getOrDefault(origin, 0L);
                long target = toCurrentHeads ? h.getValue()
                        : (flowing ? oldest : previous).getOrDefault(origin, 0L);
                if (last < target) {
                    catchUp(origin, last, target);
                }
            }
            receivedAtLastPoll = Map.copyOf(received);
            // The newest generation whose heads are all reached: settled once fan-out got this far.
            for (java.util.Iterator<Heads> it = history.descendingIterator(); it.hasNext(); ) {
                Heads g = it.next();
                if (reached(g.heads())) {
                    pendingSettle.add(new long[] {g.generation(), fanOut.remoteArrivals()});
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        long delivered = fanOut.remoteDelivered();
        pendingSettle.removeIf(p -> {
            if (p[1] <= delivered) {
                settled = Math.max(settled, p[0]);
                return true;
            }
            return false;
        });
        if (settled >= 0) {
            fanOut.settleRemote(settled);
        }
    }

    /** True when every origin (other than this node) has been handed on up to {@code heads} (under the lock). */
    private boolean reached(Map<String, Long> heads) {
        for (Map.Entry<String, Long> h : heads.entrySet()) {
            if (!h.getKey().equals(self) && received.getOrDefault(h.getKey(), 0L) < h.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hands on {@code origin}'s entries {@code after+1..until} from the journal (under the lock).
     * Entries gone from the journal (pruned) or whose event is gone are skipped and counted.
     *
     * @return false when the journal could not be read (what was read is handed on)
     */
    private boolean catchUp(String origin, long after, long until) throws InterruptedException {
        long at = after;
        while (at < until) {
            List<CommitJournal.Entry> page;
            try {
                page = journal.read(origin, at, until, PAGE);
            } catch (StoreException e) {
                LOG.warn("cluster: cannot read the commit journal of {} after {}, catching up later: {}", origin, at,
                        e.getMessage());
                return false;
            }
            if (page.isEmpty()) {
                metrics.missed("pruned", until - at);
                LOG.warn("cluster: entries {}..{} of node {} were pruned from the commit journal before this node caught "
                        + "up; their live delivery is lost (stored queries still find them)", at + 1, until, origin);
                at = until;
                break;
            }
            List<Event> events = new ArrayList<>(page.size());
            for (CommitJournal.Entry entry : page) {
                if (entry.seq() > at + 1) {
                    metrics.missed("pruned", entry.seq() - at - 1);
                }
                at = entry.seq();
                if (entry.json() == null) {
                    metrics.missed("gone", 1);
                    continue;
                }
                Event e = parse(origin, entry.seq(), entry.json());
                if (e != null) {
                    events.add(e);
                }
            }
            received.put(origin, at);
            fanOut.remote(events);
            if (!events.isEmpty()) {
                alsoStored.accept(events);
            }
            metrics.received("journal", events.size());
        }
        received.put(origin, Math.max(received.getOrDefault(origin, 0L), until));
        return true;
    }

    private Event parse(String origin, long seq, String json) {
        try {
            return Event.parse(json);
        } catch (InvalidEventException | RuntimeException e) {
            metrics.missed("unreadable", 1);
            LOG.warn("cluster: event {} of node {} cannot be read, skipped: {}", seq, origin, e.getMessage());
            return null;
        }
    }
}
