package nostr.relay.negentropy;

import java.util.Arrays;
import nostr.core.negentropy.Bound;
import nostr.core.negentropy.IdSum;
import nostr.core.negentropy.NegentropyStorage;

/**
 * One immutable state of the {@link NegentropyIndex}: the sorted items as a list of
 * {@link ItemRun} chunks, with each chunk's starting position and the running sum of the chunks'
 * ids, so that positions resolve with one binary search over chunk starts and the sum of any range
 * is two chunk-level prefix sums plus two in-chunk prefix sums. A writer replaces the chunks it
 * touches and publishes a new snapshot sharing all the others; sessions read a snapshot without
 * locks while the index moves on.
 */
final class IndexSnapshot implements SummedItems {
    static final IndexSnapshot EMPTY = new IndexSnapshot(new ItemRun[0]);

    private final ItemRun[] chunks;
    /** starts[c] is the position of chunk c's first item; starts[chunks.length] is the size. */
    private final int[] starts;
    /** The sum of the ids of chunks [0, c) at 32 c. */
    private final byte[] chunkSums;

    IndexSnapshot(ItemRun[] chunks) {
        this.chunks = chunks;
        this.starts = new int[chunks.length + 1];
        this.chunkSums = new byte[ItemRun.ID * (chunks.length + 1)];
        IdSum running = new IdSum();
        for (int c = 0; c < chunks.length; c++) {
            starts[c + 1] = starts[c] + chunks[c].size();
            chunks[c].addTotalTo(running);
            System.arraycopy(running.toBytes(), 0, chunkSums, ItemRun.ID * (c + 1), ItemRun.ID);
        }
    }

    ItemRun[] chunks() {
        return chunks;
    }

    int chunkCount() {
        return chunks.length;
    }

    @Override
    public int size() {
        return starts[chunks.length];
    }

    /** The chunk holding position {@code index} (0 <= index < size). */
    private int chunkOf(int index) {
        int c = Arrays.binarySearch(starts, 0, chunks.length, index);
        if (c >= 0) {
            // Empty chunks never exist, so the first chunk starting here holds the item.
            return c;
        }
        return -c - 2;
    }

    @Override
    public long timestamp(int index) {
        check(index);
        int c = chunkOf(index);
        return chunks[c].timestamp(index - starts[c]);
    }

    @Override
    public void copyId(int index, byte[] dest, int offset) {
        check(index);
        int c = chunkOf(index);
        chunks[c].copyId(index - starts[c], dest, offset);
    }

    @Override
    public int findLowerBound(int begin, int end, Bound bound) {
        NegentropyStorage.checkRange(begin, end, size());
        // The first chunk whose last item is not less than the bound holds the answer.
        int lo = 0;
        int hi = chunks.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            ItemRun run = chunks[mid];
            int last = run.size() - 1;
            if (bound.compareToItem(run.timestampArray()[last], run.idArray(), last * ItemRun.ID) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int at = lo == chunks.length ? size() : starts[lo] + chunks[lo].findLowerBound(0, chunks[lo].size(), bound);
        return Math.max(begin, Math.min(end, at));
    }

    @Override
    public IdSum sum(int begin, int end) {
        NegentropyStorage.checkRange(begin, end, size());
        return prefix(end).subtract(prefix(begin));
    }

    private IdSum prefix(int index) {
        if (index == size()) {
            return new IdSum().add(chunkSums, ItemRun.ID * chunks.length);
        }
        int c = chunkOf(index);
        return chunks[c].prefix(index - starts[c]).add(new IdSum().add(chunkSums, ItemRun.ID * c));
    }

    /** Bytes the items take (timestamps, ids, checkpoints), for the memory gauge. */
    long itemBytes() {
        long n = size();
        return n * (8 + ItemRun.ID) + (n / ItemRun.STRIDE + chunks.length) * ItemRun.ID + chunks.length * 96L;
    }

    private void check(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("item " + index + " of " + size());
        }
    }
}
