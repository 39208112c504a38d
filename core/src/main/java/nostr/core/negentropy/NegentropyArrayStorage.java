package nostr.core.negentropy;

import java.util.Arrays;
import nostr.core.Hex;

/**
 * A sealed, immutable {@link NegentropyStorage} over arrays: the reference implementation's
 * "Vector" storage, built once with a {@link Builder} and then shared read-only by any number of
 * sessions and threads.
 *
 * <p>Layout: timestamps in a {@code long[]}, ids packed in one {@code byte[]} (32 bytes each), and
 * a checkpoint of the running {@link IdSum} every {@value #STRIDE} items (2 bytes per item). The sum
 * of any range is {@code prefix(end) - prefix(begin)}, each prefix being one checkpoint plus at most
 * {@value #STRIDE}-1 ids, so a fingerprint costs the same for 10 items or 10 million: one SHA-256
 * and at most 30 additions. Lookups are binary searches over the arrays.
 */
public final class NegentropyArrayStorage implements NegentropyStorage {
    /** Items per prefix-sum checkpoint. */
    static final int STRIDE = 16;

    private final int size;
    private final long[] timestamps;
    private final byte[] ids;
    private final long[] checkpoints;

    private NegentropyArrayStorage(int size, long[] timestamps, byte[] ids) {
        this.size = size;
        this.timestamps = timestamps;
        this.ids = ids;
        this.checkpoints = new long[4 * (size / STRIDE + 1)];
        IdSum running = new IdSum();
        for (int i = 0; i < size; i++) {
            if (i % STRIDE == 0) {
                running.storeTo(checkpoints, 4 * (i / STRIDE));
            }
            running.add(ids, i * Negentropy.ID_SIZE);
        }
        if (size % STRIDE == 0) {
            running.storeTo(checkpoints, 4 * (size / STRIDE));
        }
    }

    /** A builder to add items to, then {@link Builder#seal seal} once. */
    public static Builder builder() {
        return new Builder();
    }

    /** An empty storage. */
    public static NegentropyArrayStorage empty() {
        return builder().seal();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long timestamp(int index) {
        checkIndex(index);
        return timestamps[index];
    }

    @Override
    public void copyId(int index, byte[] dest, int offset) {
        checkIndex(index);
        System.arraycopy(ids, index * Negentropy.ID_SIZE, dest, offset, Negentropy.ID_SIZE);
    }

    /** The id of the item at {@code index} as lowercase hex. */
    public String idHex(int index) {
        checkIndex(index);
        return Hex.encode(ids, index * Negentropy.ID_SIZE, Negentropy.ID_SIZE);
    }

    @Override
    public int findLowerBound(int begin, int end, Bound bound) {
        NegentropyStorage.checkRange(begin, end, size);
        int lo = begin;
        int hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (bound.compareToItem(timestamps[mid], ids, mid * Negentropy.ID_SIZE) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public byte[] fingerprint(int begin, int end) {
        NegentropyStorage.checkRange(begin, end, size);
        return prefixSum(end).subtract(prefixSum(begin)).fingerprint(end - begin);
    }

    // Sum of the ids of items [0, index).
    private IdSum prefixSum(int index) {
        IdSum sum = new IdSum();
        int checkpoint = index / STRIDE;
        sum.loadFrom(checkpoints, 4 * checkpoint);
        for (int i = checkpoint * STRIDE; i < index; i++) {
            sum.add(ids, i * Negentropy.ID_SIZE);
        }
        return sum;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("item " + index + " of " + size);
        }
    }

    /**
     * Collects items for a {@link NegentropyArrayStorage}. Items may come in any order; when they
     * already come sorted (for example from a database index on {@code (created_at, id)}),
     * {@link #seal} only checks the order and does not sort. Not thread-safe.
     */
    public static final class Builder {
        private long[] timestamps = new long[64];
        private byte[] ids = new byte[64 * Negentropy.ID_SIZE];
        private int size;
        private boolean sealed;

        private Builder() {}

        /**
         * Adds an item.
         *
         * @param timestamp unsigned; {@link Bound#INFINITY_TIMESTAMP} is reserved and refused
         * @param id 32 bytes
         * @throws IllegalArgumentException for a wrong id size or the infinity timestamp
         * @throws IllegalStateException after {@link #seal}
         */
        public Builder add(long timestamp, byte[] id) {
            if (id.length != Negentropy.ID_SIZE) {
                throw new IllegalArgumentException("item id must be 32 bytes, got " + id.length);
            }
            return add(timestamp, id, 0);
        }

        /** Adds an item whose id is 64 lowercase hex characters. */
        public Builder add(long timestamp, String idHex) {
            return add(timestamp, Hex.decode(idHex, Negentropy.ID_SIZE, "item id"), 0);
        }

        private Builder add(long timestamp, byte[] id, int offset) {
            if (sealed) {
                throw new IllegalStateException("storage is already sealed");
            }
            if (timestamp == Bound.INFINITY_TIMESTAMP) {
                throw new IllegalArgumentException("item timestamp 2^64-1 is reserved for infinity");
            }
            if (size == timestamps.length) {
                if (size == Integer.MAX_VALUE / Negentropy.ID_SIZE) {
                    throw new IllegalStateException("too many items for an array storage: " + size);
                }
                int grown = (int) Math.min((long) size * 2, Integer.MAX_VALUE / Negentropy.ID_SIZE);
                timestamps = Arrays.copyOf(timestamps, grown);
                ids = Arrays.copyOf(ids, grown * Negentropy.ID_SIZE);
            }
            timestamps[size] = timestamp;
            System.arraycopy(id, offset, ids, size * Negentropy.ID_SIZE, Negentropy.ID_SIZE);
            size++;
            return this;
        }

        /** Number of items added so far. */
        public int size() {
            return size;
        }

        /**
         * Sorts the items (unless already sorted) and returns the immutable storage. Can be called
         * once.
         *
         * @throws IllegalArgumentException naming the first duplicate item
         * @throws IllegalStateException when called twice
         */
        public NegentropyArrayStorage seal() {
            if (sealed) {
                throw new IllegalStateException("storage is already sealed");
            }
            sealed = true;
            long[] ts = Arrays.copyOf(timestamps, size);
            byte[] id = Arrays.copyOf(ids, size * Negentropy.ID_SIZE);
            timestamps = null;
            ids = null;
            if (!isSorted(ts, id, size)) {
                int[] order = ItemSort.sortedOrder(ts, id, size);
                long[] sortedTs = new long[size];
                byte[] sortedIds = new byte[size * Negentropy.ID_SIZE];
                for (int i = 0; i < size; i++) {
                    sortedTs[i] = ts[order[i]];
                    System.arraycopy(id, order[i] * Negentropy.ID_SIZE, sortedIds, i * Negentropy.ID_SIZE, Negentropy.ID_SIZE);
                }
                ts = sortedTs;
                id = sortedIds;
            }
            for (int i = 1; i < size; i++) {
                if (ItemSort.compare(ts, id, i - 1, i) == 0) {
                    throw new IllegalArgumentException("duplicate item: timestamp " + Long.toUnsignedString(ts[i])
                            + ", id " + Hex.encode(id, i * Negentropy.ID_SIZE, Negentropy.ID_SIZE));
                }
            }
            return new NegentropyArrayStorage(size, ts, id);
        }

        private static boolean isSorted(long[] ts, byte[] id, int n) {
            for (int i = 1; i < n; i++) {
                if (ItemSort.compare(ts, id, i - 1, i) > 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
