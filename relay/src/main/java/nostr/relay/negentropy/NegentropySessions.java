package nostr.relay.negentropy;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.message.RelayMessage;
import nostr.core.negentropy.Negentropy;
import nostr.core.negentropy.NegentropyArrayStorage;
import nostr.core.negentropy.NegentropyException;
import nostr.core.negentropy.NegentropyStorage;
import nostr.relay.store.StoreException;
import nostr.relay.store.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's negentropy sessions (NIP-77): NEG-OPEN builds a session's items and answers
 * the initial message, NEG-MSG answers the next, NEG-CLOSE forgets it. Every request is answered
 * with exactly one NEG-MSG or NEG-ERR (NEG-CLOSE with nothing); after a NEG-ERR the session is gone,
 * as the NIP says.
 *
 * <p>Requests run in arrival order, one at a time per connection, on the service's virtual
 * threads (the connection's reader only queues them, and waits when {@value #MAX_QUEUED} are queued,
 * which slows a flooding client down by TCP backpressure). Each request takes one of the
 * service's permits while it works.
 *
 * <p>Items: a filter that selects by time only ({@code since}, {@code until}; {@code limit} is
 * ignored) is served from the whole-store index when it is ready, with the events of kinds the
 * index leaves out that this reader may see merged in (its gift wraps, when authenticated). Any
 * other filter, or no ready index, reads the store ({@code EventStore.scanItems}) into a sorted
 * array of at most {@code max_neg_items} items; more gets {@code NEG-ERR "blocked: ..."} with the
 * limit as a fourth element. A session keeps the items it started with: events stored later are
 * not in it.
 *
 * <p>Refusals: {@code invalid:} (a message that is not negentropy v1, a malformed message, an id
 * too long), {@code blocked:} (too many items, too many sessions), {@code closed:} (unknown
 * session, idle timeout), {@code error:} (store failure, relay busy or shutting down), and the
 * read restriction's {@code auth-required:}/{@code restricted:}/{@code blocked:} (checked by the
 * connection before {@link #open}).
 */
public final class NegentropySessions {
    private static final Logger LOG = LoggerFactory.getLogger(NegentropySessions.class);
    /** Requests of one connection waiting for their turn before its reader waits. */
    static final int MAX_QUEUED = 16;

    private final NegentropyService service;
    private final Consumer<String> out;
    private final Semaphore queued = new Semaphore(MAX_QUEUED);
    // Guarded by this.
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    private boolean closed;
    // Touched by the running task only (one at a time), and by closeIdle under this.
    private final Map<String, Session> sessions = new HashMap<>();

    /** One open session: its items and when it was last used. */
    private static final class Session {
        final NegentropyStorage items;
        volatile long lastUsedNanos;

        Session(NegentropyStorage items, long now) {
            this.items = items;
            this.lastUsedNanos = now;
        }
    }

    NegentropySessions(NegentropyService service, Consumer<String> out) {
        this.service = service;
        this.out = out;
    }

    /** Open sessions. */
    public synchronized int size() {
        return sessions.size();
    }

    /**
     * NEG-OPEN: {@code filter} and {@code visibility} as the read restriction allowed them.
     * Replaces an open session of the same id.
     */
    public void open(String id, Filter filter, Visibility visibility, String initialHex) throws InterruptedException {
        if (id.length() > service.maxSubidLength()) {
            error(id, "invalid: subscription id is longer than " + service.maxSubidLength() + " characters");
            return;
        }
        submit(() -> doOpen(id, filter, visibility, initialHex));
    }

    /** NEG-MSG. */
    public void message(String id, String hex) throws InterruptedException {
        submit(() -> doMessage(id, hex));
    }

    /** NEG-CLOSE: the session is forgotten; nothing is sent. */
    public void close(String id) throws InterruptedException {
        submit(() -> {
            Session s;
            synchronized (this) {
                s = sessions.remove(id);
            }
            if (s != null) {
                service.metrics().sessionClosed();
            }
        });
    }

    /** The connection is gone: every session is dropped, queued requests are not answered. */
    public void closeAll() {
        int n;
        synchronized (this) {
            closed = true;
            tasks.clear();
            n = sessions.size();
            sessions.clear();
        }
        for (int i = 0; i < n; i++) {
            service.metrics().sessionClosed();
        }
        service.forget(this);
    }

    /** Ends sessions unused for {@code idleNanos} with {@code NEG-ERR "closed: ..."}; returns how many. */
    long closeIdle(long nowNanos, long idleNanos) {
        List<String> idle = new java.util.ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<String, Session>> it = sessions.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Session> e = it.next();
                if (nowNanos - e.getValue().lastUsedNanos >= idleNanos) {
                    it.remove();
                    idle.add(e.getKey());
                }
            }
        }
        for (String id : idle) {
            service.metrics().sessionClosed();
            error(id, "closed: no message for " + TimeUnit.NANOSECONDS.toSeconds(idleNanos)
                    + " s, the negentropy session timed out; send NEG-OPEN again");
        }
        return idle.size();
    }

    // ---- the queue ---------------------------------------------------------------------------------

    private void submit(Runnable task) throws InterruptedException {
        queued.acquire();
        boolean start;
        synchronized (this) {
            if (closed) {
                queued.release();
                return;
            }
            tasks.add(task);
            start = !running;
            running = true;
        }
        if (start) {
            try {
                service.executor().execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                synchronized (this) {
                    running = false;
                    tasks.clear();
                }
                queued.release(MAX_QUEUED);
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("a negentropy request failed", e);
            } finally {
                queued.release();
            }
        }
    }

    // ---- requests ----------------------------------------------------------------------------------

    private void doOpen(String id, Filter filter, Visibility visibility, String initialHex) {
        boolean replaced;
        boolean full;
        synchronized (this) {
            replaced = sessions.remove(id) != null;
            full = !replaced && sessions.size() >= service.config().maxSessions();
        }
        if (replaced) {
            // NIP-77: a NEG-OPEN on an open id closes that session first.
            service.metrics().sessionClosed();
        }
        if (full) {
            error(id, "blocked: too many open negentropy sessions (limit " + service.config().maxSessions()
                    + "); send NEG-CLOSE for one first");
            return;
        }
        long started = service.nowNanos();
        if (!acquire(id)) {
            return;
        }
        try {
            Items items = items(filter, visibility);
            if (items.refusal() != null) {
                if (items.tooMany()) {
                    tooBig(id, items.refusal());
                } else {
                    error(id, items.refusal());
                }
                return;
            }
            String reply = reconcile(id, items.storage(), initialHex);
            if (reply == null) {
                return;
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                sessions.put(id, new Session(items.storage(), service.nowNanos()));
            }
            service.metrics().sessionOpened();
            service.metrics().opened(items.fromIndex(), service.nowNanos() - started);
            send(RelayMessage.negMsg(id, reply));
        } finally {
            service.permits().release();
        }
    }

    private void doMessage(String id, String hex) {
        Session s;
        synchronized (this) {
            s = sessions.get(id);
        }
        if (s == null) {
            error(id, "closed: unknown negentropy session; send NEG-OPEN first");
            return;
        }
        s.lastUsedNanos = service.nowNanos();
        long started = service.nowNanos();
        if (!acquire(id)) {
            forget(id, s);
            return;
        }
        try {
            String reply = reconcile(id, s.items, hex);
            if (reply == null) {
                forget(id, s);
                return;
            }
            s.lastUsedNanos = service.nowNanos();
            service.metrics().message(service.nowNanos() - started);
            send(RelayMessage.negMsg(id, reply));
        } finally {
            service.permits().release();
        }
    }

    private void forget(String id, Session s) {
        boolean removed;
        synchronized (this) {
            removed = sessions.remove(id, s);
        }
        if (removed) {
            service.metrics().sessionClosed();
        }
    }

    /** The server's answer to one message, or null after answering NEG-ERR. */
    private String reconcile(String id, NegentropyStorage items, String hex) {
        try {
            return new Negentropy(items, service.config().frameSizeLimit()).reconcile(hex);
        } catch (NegentropyException e) {
            error(id, "invalid: " + e.getMessage());
            return null;
        }
    }

    private boolean acquire(String id) {
        try {
            if (service.permits().tryAcquire(service.permitWait().toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
            error(id, "error: the relay is busy with other negentropy sessions; try again later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(id, "error: the relay is shutting down");
        }
        return false;
    }

    // ---- items ---------------------------------------------------------------------------------------

    /** A session's items, or why there are none. */
    private record Items(NegentropyStorage storage, boolean fromIndex, String refusal, boolean tooMany) {
        static Items refused(String why, boolean tooMany) {
            return new Items(null, false, why, tooMany);
        }
    }

    private Items items(Filter filter, Visibility visibility) {
        long now = service.nowSeconds();
        int max = service.config().maxItems();
        try {
            NegentropyIndex index = service.index();
            SummedItems snapshot = index == null || !timeOnly(filter) ? null : index.snapshot(now);
            if (snapshot != null) {
                SummedItems range = ItemRange.of(snapshot, filter.since(), filter.until());
                Set<Integer> extraKinds = new TreeSet<>(index.excludedKinds());
                extraKinds.removeAll(visibility.hiddenKinds());
                ItemRun extras = ItemRun.EMPTY;
                if (!extraKinds.isEmpty()) {
                    Filter f = new Filter(null, null, extraKinds, Map.of(), filter.since(), filter.until(), null, null);
                    extras = scanRun(f, visibility, now, max);
                    if (extras == null) {
                        return Items.refused(tooManyMessage(max), true);
                    }
                }
                return new Items(MergedItems.of(range, extras), true, null, false);
            }
            NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
            boolean[] over = new boolean[1];
            service.store().scanItems(filter, now, visibility, (createdAt, id, kind, expiresAt) -> {
                if (b.size() >= max) {
                    over[0] = true;
                    return false;
                }
                b.add(createdAt, id);
                return true;
            });
            if (over[0]) {
                return Items.refused(tooManyMessage(max), true);
            }
            return new Items(b.seal(), false, null, false);
        } catch (StoreException e) {
            LOG.warn("negentropy items could not be read: {}", e.getMessage());
            return Items.refused("error: could not read stored events, the database is unavailable; try again later", false);
        }
    }

    /** A store scan into a run of at most {@code max} items, or null when there are more. */
    private ItemRun scanRun(Filter f, Visibility visibility, long now, int max) throws StoreException {
        long[][] ts = {new long[16]};
        byte[][] ids = {new byte[16 * ItemRun.ID]};
        int[] n = {0};
        boolean[] over = new boolean[1];
        service.store().scanItems(f, now, visibility, (createdAt, id, kind, expiresAt) -> {
            if (n[0] >= max) {
                over[0] = true;
                return false;
            }
            if (n[0] == ts[0].length) {
                ts[0] = java.util.Arrays.copyOf(ts[0], n[0] * 2);
                ids[0] = java.util.Arrays.copyOf(ids[0], n[0] * 2 * ItemRun.ID);
            }
            ts[0][n[0]] = createdAt;
            System.arraycopy(id, 0, ids[0], n[0] * ItemRun.ID, ItemRun.ID);
            n[0]++;
            return true;
        });
        return over[0] ? null : new ItemRun(ts[0], ids[0], n[0]);
    }

    /** True when the filter selects by time only: the index (ordered by time) serves it as a range. */
    static boolean timeOnly(Filter f) {
        return f.ids() == null && f.authors() == null && f.kinds() == null && f.tags().isEmpty() && f.search() == null;
    }

    private static String tooManyMessage(int max) {
        return "blocked: this query is too big: more than " + max + " events; use a narrower filter";
    }

    // ---- output --------------------------------------------------------------------------------------

    private void error(String id, String reason) {
        service.metrics().error(reason);
        send(RelayMessage.negErr(id, reason));
    }

    /** NIP-77's "blocked" with the most records the relay processes as the fourth element. */
    private void tooBig(String id, String reason) {
        service.metrics().error(reason);
        send("[\"NEG-ERR\"," + Json.quote(id) + "," + Json.quote(reason) + "," + service.config().maxItems() + "]");
    }

    private void send(String frame) {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        out.accept(frame);
    }
}
