package nostr.relay.negentropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import nostr.core.filter.Filter;
import nostr.relay.store.EventStore;
import nostr.relay.store.StoreException;
import nostr.relay.store.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's whole-store negentropy index: every stored, unexpired event's {@code (created_at, id)}
 * in negentropy order, in memory, so a NEG-OPEN over the whole store (or a time range of it) never
 * reads the database: one 1M-event reconcile costs fingerprints over what is already sorted.
 *
 * <p>Layout: sorted chunks of at most {@value #MAX_CHUNK} items ({@link ItemRun}), each with
 * checkpointed {@code IdSum}s, held in an immutable {@link IndexSnapshot}. A change rebuilds only
 * the chunks it touches (new events mostly land in the last one) and publishes a new snapshot
 * that shares the rest (copy-on-write); sessions read whatever snapshot is current when a message
 * arrives, without locks. About 42 bytes per event (8 timestamp, 32 id, 2 of checkpoints).
 *
 * <p>Consistency: the store's change listener ({@link EventStore#setChangeListener}) reports, after
 * each commit and in order, what it stored and removed: new events, replaceable supersession,
 * deletion requests, requests to vanish, expiry and retention purges, operator bans. Items with a
 * NIP-40 expiration leave the index when they expire (a queue ordered by expiration, checked when
 * a snapshot is taken), as the store hides them. Other processes writing the same database (relay
 * nodes sharing PostgreSQL, the import tool) are not reported: a cluster calls {@link #added} and
 * {@link #removed} for what other nodes did, and {@link #rebuild} (run at start and every
 * {@code neg_index_rebuild_interval_seconds}) re-reads the store in the background and catches up
 * on anything missed, buffering changes meanwhile and replaying them onto the new state.
 *
 * <p>Kinds some readers may not see (gift wraps for their recipients only, {@code
 * auth_required_read_kinds}) are left out; a session merges in the ones its reader may see.
 * Above {@code neg_index_max_items} the index switches itself off (sessions fall back to a store
 * scan) until a rebuild finds the store small enough again.
 */
public final class NegentropyIndex {
    private static final Logger LOG = LoggerFactory.getLogger(NegentropyIndex.class);
    /** Items per chunk when loading; chunks grow to {@link #MAX_CHUNK} before they split. */
    static final int CHUNK = 1024;
    static final int MAX_CHUNK = 2 * CHUNK;
    /** A chunk shrunk below this by removals is joined with its neighbour. */
    static final int MIN_CHUNK = CHUNK / 8;

    /** Where the index stands. */
    public enum State { LOADING, READY, DISABLED }

    private final Set<Integer> excludedKinds;
    private final long maxItems;
    private volatile IndexSnapshot snapshot = IndexSnapshot.EMPTY;
    private volatile State state = State.LOADING;
    private volatile String disabledReason = "";
    private volatile long nextExpiry = Long.MAX_VALUE;
    // Guarded by this.
    private final PriorityQueue<Expiring> expiring = new PriorityQueue<>(Comparator.comparingLong(Expiring::expiresAt));
    private List<Op> buffered;
    private long rebuilds;
    /** Serializes rebuilds (the load runs outside the index's own lock). */
    private final Object rebuilding = new Object();

    private record Expiring(long expiresAt, long createdAt, byte[] id) {}

    /** One change, in order: add (with kind and expiration) or remove. */
    private record Op(boolean add, long createdAt, byte[] id, int kind, long expiresAt) {}

    /**
     * @param excludedKinds kinds never indexed (what some readers may not see)
     * @param maxItems the most items held; beyond, the index switches itself off
     */
    public NegentropyIndex(Set<Integer> excludedKinds, long maxItems) {
        if (maxItems <= 0) {
            throw new IllegalArgumentException("neg_index_max_items must be positive, got " + maxItems);
        }
        this.excludedKinds = Set.copyOf(excludedKinds);
        this.maxItems = maxItems;
    }

    /** Kinds left out of the index. */
    public Set<Integer> excludedKinds() {
        return excludedKinds;
    }

    public State state() {
        return state;
    }

    /** Why the index is off (empty unless {@link State#DISABLED}). */
    public String disabledReason() {
        return disabledReason;
    }

    /** Items in the current snapshot. */
    public long size() {
        return snapshot.size();
    }

    /** Approximate bytes the items take on the heap. */
    public long bytes() {
        return snapshot.itemBytes();
    }

    /** Completed rebuilds (the first load included). */
    public synchronized long rebuilds() {
        return rebuilds;
    }

    /**
     * The current items, with those expired at {@code nowSeconds} removed; null unless
     * {@link State#READY}. The snapshot never changes: later changes make new snapshots.
     */
    SummedItems snapshot(long nowSeconds) {
        if (state != State.READY) {
            return null;
        }
        if (nowSeconds >= nextExpiry) {
            expire(nowSeconds);
        }
        return state == State.READY ? snapshot : null;
    }

    // ---- changes ---------------------------------------------------------------------------------

    /** The store committed these changes (the store's change listener). */
    public void committed(List<EventStore.Change> changes) {
        List<Op> ops = new ArrayList<>(changes.size());
        for (EventStore.Change c : changes) {
            switch (c) {
                case EventStore.Change.Stored s -> ops.add(new Op(true, s.createdAt(), s.id(), s.kind(), s.expiresAt()));
                case EventStore.Change.Removed r -> ops.add(new Op(false, r.createdAt(), r.id(), -1, 0));
            }
        }
        apply(ops);
    }

    /**
     * An event stored somewhere this relay's store listener does not hear of (another relay node
     * on the same database): index it.
     *
     * @param expiresAt its NIP-40 expiration, or 0
     */
    public void added(long createdAt, byte[] id, int kind, long expiresAt) {
        apply(List.of(new Op(true, createdAt, checkedId(id), kind, expiresAt)));
    }

    /** An event removed where this relay's store listener does not hear of it: drop it. */
    public void removed(long createdAt, byte[] id) {
        apply(List.of(new Op(false, createdAt, checkedId(id), -1, 0)));
    }

    private static byte[] checkedId(byte[] id) {
        if (id.length != ItemRun.ID) {
            throw new IllegalArgumentException("an event id is 32 bytes, got " + id.length);
        }
        return id.clone();
    }

    private synchronized void apply(List<Op> ops) {
        if (buffered != null) {
            buffered.addAll(ops);
        }
        if (state == State.READY) {
            applyLocked(ops);
        }
    }

    private synchronized void expire(long nowSeconds) {
        List<Op> ops = new ArrayList<>();
        while (!expiring.isEmpty() && expiring.peek().expiresAt() <= nowSeconds) {
            Expiring e = expiring.poll();
            ops.add(new Op(false, e.createdAt(), e.id(), -1, 0));
        }
        nextExpiry = expiring.isEmpty() ? Long.MAX_VALUE : expiring.peek().expiresAt();
        if (!ops.isEmpty() && state == State.READY) {
            applyLocked(ops);
        }
    }

    /** Applies ops in order to the current snapshot and publishes the result. */
    private void applyLocked(List<Op> ops) {
        ItemRun[] chunks = snapshot.chunks();
        // Per touched chunk, the final state of each touched item (the last op on an item wins).
        Map<Integer, TreeMap<Key, Op>> edits = new HashMap<>();
        for (Op op : ops) {
            if (op.add() && excludedKinds.contains(op.kind())) {
                continue;
            }
            int c = chunkFor(chunks, op.createdAt(), op.id());
            edits.computeIfAbsent(c, k -> new TreeMap<>()).put(new Key(op.createdAt(), op.id()), op);
            if (op.add() && op.expiresAt() > 0) {
                expiring.add(new Expiring(op.expiresAt(), op.createdAt(), op.id()));
            }
        }
        nextExpiry = expiring.isEmpty() ? Long.MAX_VALUE : expiring.peek().expiresAt();
        if (edits.isEmpty()) {
            return;
        }
        List<ItemRun> out = new ArrayList<>(chunks.length + 2);
        int n = Math.max(chunks.length, 1);
        for (int c = 0; c < n; c++) {
            ItemRun run = c < chunks.length ? chunks[c] : ItemRun.EMPTY;
            TreeMap<Key, Op> e = edits.get(c);
            if (e == null) {
                out.add(run);
                continue;
            }
            ItemRun merged = merge(run, e);
            if (merged.size() == 0) {
                continue;
            }
            if (merged.size() < MIN_CHUNK && !out.isEmpty() && out.getLast().size() + merged.size() <= MAX_CHUNK
                    && edits.containsKey(c - 1)) {
                // Both were rebuilt anyway: join them rather than keep a sliver.
                out.add(concat(out.removeLast(), merged));
                continue;
            }
            split(merged, out);
        }
        IndexSnapshot next = new IndexSnapshot(out.toArray(new ItemRun[0]));
        if (next.size() > maxItems) {
            disable("the store holds more than neg_index_max_items = " + maxItems + " indexable events");
            return;
        }
        snapshot = next;
    }

    /** The chunk an item belongs in: the last one whose first item is not after it (0 when none). */
    private static int chunkFor(ItemRun[] chunks, long ts, byte[] id) {
        int lo = 0;
        int hi = chunks.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (chunks[mid].compareItem(0, ts, id, 0) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return Math.max(0, lo - 1);
    }

    /** {@code run} with the edits applied (adds of present items and removals of absent ones change nothing). */
    private static ItemRun merge(ItemRun run, TreeMap<Key, Op> edits) {
        int cap = run.size() + edits.size();
        long[] ts = new long[cap];
        byte[] ids = new byte[cap * ItemRun.ID];
        long[] rts = run.timestampArray();
        byte[] rids = run.idArray();
        int i = 0;
        int n = 0;
        for (Map.Entry<Key, Op> entry : edits.entrySet()) {
            Key k = entry.getKey();
            while (i < run.size() && run.compareItem(i, k.ts(), k.id(), 0) < 0) {
                ts[n] = rts[i];
                System.arraycopy(rids, i * ItemRun.ID, ids, n * ItemRun.ID, ItemRun.ID);
                n++;
                i++;
            }
            boolean present = i < run.size() && run.compareItem(i, k.ts(), k.id(), 0) == 0;
            if (present) {
                i++;
            }
            if (entry.getValue().add()) {
                ts[n] = k.ts();
                System.arraycopy(k.id(), 0, ids, n * ItemRun.ID, ItemRun.ID);
                n++;
            }
        }
        while (i < run.size()) {
            ts[n] = rts[i];
            System.arraycopy(rids, i * ItemRun.ID, ids, n * ItemRun.ID, ItemRun.ID);
            n++;
            i++;
        }
        return new ItemRun(Arrays.copyOf(ts, n), Arrays.copyOf(ids, n * ItemRun.ID), n);
    }

    private static ItemRun concat(ItemRun a, ItemRun b) {
        int n = a.size() + b.size();
        long[] ts = Arrays.copyOf(a.timestampArray(), n);
        System.arraycopy(b.timestampArray(), 0, ts, a.size(), b.size());
        byte[] ids = Arrays.copyOf(a.idArray(), n * ItemRun.ID);
        System.arraycopy(b.idArray(), 0, ids, a.size() * ItemRun.ID, b.size() * ItemRun.ID);
        return new ItemRun(ts, ids, n);
    }

    /** Adds {@code run} to {@code out}, cut into chunks of {@link #CHUNK} when it grew past {@link #MAX_CHUNK}. */
    private static void split(ItemRun run, List<ItemRun> out) {
        if (run.size() <= MAX_CHUNK) {
            out.add(run);
            return;
        }
        for (int from = 0; from < run.size(); from += CHUNK) {
            int to = Math.min(run.size(), from + CHUNK);
            out.add(new ItemRun(Arrays.copyOfRange(run.timestampArray(), from, to),
                    Arrays.copyOfRange(run.idArray(), from * ItemRun.ID, to * ItemRun.ID), to - from));
        }
    }

    private void disable(String reason) {
        state = State.DISABLED;
        disabledReason = reason;
        snapshot = IndexSnapshot.EMPTY;
        expiring.clear();
        nextExpiry = Long.MAX_VALUE;
        LOG.warn("negentropy index switched off: {}; NEG-OPEN reads the store instead (up to max_neg_items)", reason);
    }

    // ---- loading -----------------------------------------------------------------------------------

    /**
     * Reads every indexable event of {@code store} and makes that the index's contents, replaying
     * the changes committed meanwhile. The current snapshot keeps serving while this runs.
     *
     * @return the items now indexed, or -1 when the store holds too many (the index is then off)
     */
    public long rebuild(EventStore store, long nowSeconds) throws StoreException {
        return rebuild(sink -> store.scanItems(Filter.builder().build(), nowSeconds, Visibility.EVERYTHING, sink));
    }

    /** Where a rebuild reads every stored item from, in ascending order. */
    @FunctionalInterface
    interface ItemScan {
        void scan(EventStore.ItemSink sink) throws StoreException;
    }

    /** {@link #rebuild(EventStore, long)} from any ordered source of items. */
    long rebuild(ItemScan scan) throws StoreException {
        synchronized (rebuilding) {
            return rebuildLocked(scan);
        }
    }

    private long rebuildLocked(ItemScan scan) throws StoreException {
        synchronized (this) {
            buffered = new ArrayList<>();
        }
        Loader loader = new Loader(maxItems);
        try {
            scan.scan((createdAt, id, kind, expiresAt) -> {
                if (excludedKinds.contains(kind)) {
                    return true;
                }
                return loader.add(createdAt, id, expiresAt);
            });
        } catch (StoreException | RuntimeException e) {
            synchronized (this) {
                buffered = null;
            }
            throw e;
        }
        synchronized (this) {
            List<Op> replay = buffered;
            buffered = null;
            rebuilds++;
            if (loader.overflowed) {
                disable("the store holds more than neg_index_max_items = " + maxItems + " indexable events");
                return -1;
            }
            snapshot = new IndexSnapshot(loader.chunks());
            expiring.clear();
            expiring.addAll(loader.expiring);
            nextExpiry = expiring.isEmpty() ? Long.MAX_VALUE : expiring.peek().expiresAt();
            state = State.READY;
            disabledReason = "";
            applyLocked(replay);
            return state == State.READY ? snapshot.size() : -1;
        }
    }

    /** Builds chunks from items arriving in order. */
    private static final class Loader {
        private final long maxItems;
        private final List<ItemRun> chunks = new ArrayList<>();
        private final List<Expiring> expiring = new ArrayList<>();
        private long[] ts = new long[CHUNK];
        private byte[] ids = new byte[CHUNK * ItemRun.ID];
        private int n;
        private long total;
        boolean overflowed;

        Loader(long maxItems) {
            this.maxItems = maxItems;
        }

        boolean add(long createdAt, byte[] id, long expiresAt) {
            if (++total > maxItems) {
                overflowed = true;
                return false;
            }
            ts[n] = createdAt;
            System.arraycopy(id, 0, ids, n * ItemRun.ID, ItemRun.ID);
            n++;
            if (expiresAt > 0) {
                expiring.add(new Expiring(expiresAt, createdAt, id.clone()));
            }
            if (n == CHUNK) {
                chunks.add(new ItemRun(ts, ids, n));
                ts = new long[CHUNK];
                ids = new byte[CHUNK * ItemRun.ID];
                n = 0;
            }
            return true;
        }

        ItemRun[] chunks() {
            if (n > 0) {
                chunks.add(new ItemRun(Arrays.copyOf(ts, n), Arrays.copyOf(ids, n * ItemRun.ID), n));
                n = 0;
            }
            return chunks.toArray(new ItemRun[0]);
        }
    }

    /** An item as a sortable key. */
    private record Key(long ts, byte[] id) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compareUnsigned(ts, o.ts);
            return c != 0 ? c : Arrays.compareUnsigned(id, o.id);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.ts == ts && Arrays.equals(k.id, id);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(ts) * 31 + Arrays.hashCode(id);
        }
    }
}
