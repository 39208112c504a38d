package nostr.relay.negentropy;

import java.util.Arrays;
import nostr.core.negentropy.Bound;
import nostr.core.negentropy.IdSum;
import nostr.core.negentropy.NegentropyStorage;

/**
 * An immutable sorted run of negentropy items: timestamps in a {@code long[]}, ids packed in one
 * {@code byte[]}, and the running {@link IdSum} checkpointed every {@value #STRIDE} items, so the sum
 * of any range is two checkpoints and at most 2 x 15 additions. It is the index's chunk (a few
 * hundred to {@value NegentropyIndex#MAX_CHUNK} items) and also the small list of extra items a
 * session merges into an index range.
 */
final class ItemRun implements SummedItems {
    static final int ID = 32;
    static final int STRIDE = 16;
    static final ItemRun EMPTY = new ItemRun(new long[0], new byte[0], 0);

    private final int size;
    private final long[] timestamps;
    private final byte[] ids;
    /** Checkpoint k (32 bytes at 32 k) is the sum of items [0, 16 k); the last one covers every item. */
    private final byte[] checkpoints;
    private final byte[] total;

    /** Takes ownership of the arrays; items must be sorted and distinct (the caller's promise). */
    ItemRun(long[] timestamps, byte[] ids, int size) {
        this.size = size;
        this.timestamps = timestamps;
        this.ids = ids;
        this.checkpoints = new byte[ID * (size / STRIDE + 1)];
        IdSum running = new IdSum();
        for (int i = 0; i < size; i++) {
            if (i % STRIDE == 0 && i > 0) {
                System.arraycopy(running.toBytes(), 0, checkpoints, ID * (i / STRIDE), ID);
            }
            running.add(ids, i * ID);
        }
        if (size % STRIDE == 0 && size > 0) {
            System.arraycopy(running.toBytes(), 0, checkpoints, ID * (size / STRIDE), ID);
        }
        this.total = running.toBytes();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long timestamp(int index) {
        check(index);
        return timestamps[index];
    }

    @Override
    public void copyId(int index, byte[] dest, int offset) {
        check(index);
        System.arraycopy(ids, index * ID, dest, offset, ID);
    }

    /** The sum of every id of the run. */
    IdSum total() {
        return new IdSum().add(total, 0);
    }

    /** Adds the sum of every id of the run to {@code sum}. */
    void addTotalTo(IdSum sum) {
        sum.add(total, 0);
    }

    @Override
    public IdSum sum(int begin, int end) {
        NegentropyStorage.checkRange(begin, end, size);
        return prefix(end).subtract(prefix(begin));
    }

    /** Sum of items [0, index). */
    IdSum prefix(int index) {
        IdSum s = new IdSum();
        int k = index / STRIDE;
        if (k > 0) {
            s.add(checkpoints, ID * k);
        }
        for (int i = k * STRIDE; i < index; i++) {
            s.add(ids, i * ID);
        }
        return s;
    }

    @Override
    public int findLowerBound(int begin, int end, Bound bound) {
        NegentropyStorage.checkRange(begin, end, size);
        int lo = begin;
        int hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (bound.compareToItem(timestamps[mid], ids, mid * ID) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Compares item {@code i} of this run with {@code (ts, id at off)}: negative when the run's item sorts first. */
    int compareItem(int i, long ts, byte[] id, int off) {
        int c = Long.compareUnsigned(timestamps[i], ts);
        return c != 0 ? c : Arrays.compareUnsigned(ids, i * ID, i * ID + ID, id, off, off + ID);
    }

    /** Index of the first item not less than {@code (ts, id)}, or {@link #size()}. */
    int lowerBound(long ts, byte[] id, int off) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareItem(mid, ts, id, off) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    long[] timestampArray() {
        return timestamps;
    }

    byte[] idArray() {
        return ids;
    }

    private void check(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("item " + index + " of " + size);
        }
    }
}
