package nostr.relay.store.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import nostr.relay.store.EventStore;

/**
 * Turns rows ordered by created_at ascending (ties in any order, possibly repeated: a tag join
 * yields an event once per matching value) into {@link EventStore#scanItems} items: ascending by
 * (created_at, id), each id once. Rows of one created_at are held until the next created_at
 * arrives, then sorted by id; only one such group is held at a time.
 *
 * <p>The adapters ask their database for created_at order only, the order every created_at index
 * gives for free when scanned in the right direction (SQLite's {@code (created_at DESC, id)} backwards yields ids
 * descending within a second), and leave ties to this class rather than to a sort of the whole result.
 */
public final class AscendingItems {
    private static final int ID = 32;

    private final EventStore.ItemSink sink;
    private long groupAt = Long.MIN_VALUE;
    private byte[] ids = new byte[16 * ID];
    private int[] kinds = new int[16];
    private long[] expires = new long[16];
    private Integer[] order = new Integer[16];
    private int size;
    private boolean stopped;

    public AscendingItems(EventStore.ItemSink sink) {
        this.sink = sink;
    }

    /**
     * Reads every row of {@code rs}, whose columns are created_at, id, kind, expires_at (NULL when
     * none), and delivers the items. Returns false when the sink stopped the scan.
     */
    public boolean drain(ResultSet rs) throws SQLException {
        while (!stopped && rs.next()) {
            long expiresAt = rs.getLong(4);
            if (rs.wasNull()) {
                expiresAt = 0;
            }
            add(rs.getLong(1), rs.getBytes(2), rs.getInt(3), expiresAt);
        }
        return finish();
    }

    /** Adds one row (created_at must not go down). */
    void add(long createdAt, byte[] id, int kind, long expiresAt) {
        if (id == null || id.length != ID) {
            throw new IllegalStateException("event id of " + (id == null ? 0 : id.length) + " bytes in the store");
        }
        if (createdAt != groupAt) {
            if (size > 0 && createdAt < groupAt) {
                throw new IllegalStateException("rows came out of created_at order: " + createdAt + " after " + groupAt);
            }
            flush();
            groupAt = createdAt;
        }
        if (stopped) {
            return;
        }
        if (size == kinds.length) {
            int n = size * 2;
            ids = Arrays.copyOf(ids, n * ID);
            kinds = Arrays.copyOf(kinds, n);
            expires = Arrays.copyOf(expires, n);
            order = Arrays.copyOf(order, n);
        }
        System.arraycopy(id, 0, ids, size * ID, ID);
        kinds[size] = kind;
        expires[size] = expiresAt;
        size++;
    }

    /** Delivers the last group; returns false when the sink stopped the scan. */
    boolean finish() {
        flush();
        return !stopped;
    }

    private void flush() {
        if (size == 0 || stopped) {
            size = 0;
            return;
        }
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (size > 1) {
            Arrays.sort(order, 0, size, (a, b) -> Arrays.compareUnsigned(ids, a * ID, a * ID + ID, ids, b * ID, b * ID + ID));
        }
        byte[] id = new byte[ID];
        int previous = -1;
        for (int k = 0; k < size && !stopped; k++) {
            int i = order[k];
            if (previous >= 0 && Arrays.equals(ids, previous * ID, previous * ID + ID, ids, i * ID, i * ID + ID)) {
                continue;
            }
            previous = i;
            System.arraycopy(ids, i * ID, id, 0, ID);
            if (!sink.accept(groupAt, id, kinds[i], expires[i])) {
                stopped = true;
            }
        }
        size = 0;
    }
}
