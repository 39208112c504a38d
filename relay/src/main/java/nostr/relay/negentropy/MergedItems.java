package nostr.relay.negentropy;

import java.util.Arrays;
import nostr.core.negentropy.Bound;
import nostr.core.negentropy.IdSum;
import nostr.core.negentropy.NegentropyStorage;

/**
 * Two disjoint sorted storages seen as one: a range of the whole-store index (which leaves out
 * kinds some readers may not see) plus the few events of those kinds this reader may see (gift
 * wraps p-tagged to it). The small side's merged positions are computed once; a position is
 * resolved by a binary search over them, and range sums add one range of each side.
 */
final class MergedItems implements SummedItems {
    private final SummedItems big;
    private final ItemRun small;
    /** merged[j] is the merged position of small item j (increasing). */
    private final int[] merged;
    private final int size;

    private MergedItems(SummedItems big, ItemRun small) {
        this.big = big;
        this.small = small;
        this.size = big.size() + small.size();
        this.merged = new int[small.size()];
        byte[] id = new byte[ItemRun.ID];
        for (int j = 0; j < small.size(); j++) {
            small.copyId(j, id, 0);
            int before = big.findLowerBound(0, big.size(), itemBound(small.timestamp(j), id));
            merged[j] = before + j;
        }
    }

    /** {@code big} with {@code small} merged in ({@code big} itself when there is nothing to merge). */
    static SummedItems of(SummedItems big, ItemRun small) {
        return small.size() == 0 ? big : new MergedItems(big, small);
    }

    private static Bound itemBound(long ts, byte[] id) {
        return Bound.of(ts, id);
    }

    /** Small items at merged positions below {@code index}. */
    private int smallBefore(int index) {
        int j = Arrays.binarySearch(merged, index);
        return j >= 0 ? j : -j - 1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long timestamp(int index) {
        check(index);
        int j = Arrays.binarySearch(merged, index);
        return j >= 0 ? small.timestamp(j) : big.timestamp(index - (-j - 1));
    }

    @Override
    public void copyId(int index, byte[] dest, int offset) {
        check(index);
        int j = Arrays.binarySearch(merged, index);
        if (j >= 0) {
            small.copyId(j, dest, offset);
        } else {
            big.copyId(index - (-j - 1), dest, offset);
        }
    }

    @Override
    public int findLowerBound(int begin, int end, Bound bound) {
        NegentropyStorage.checkRange(begin, end, size);
        int at = big.findLowerBound(0, big.size(), bound) + small.findLowerBound(0, small.size(), bound);
        return Math.max(begin, Math.min(end, at));
    }

    @Override
    public IdSum sum(int begin, int end) {
        NegentropyStorage.checkRange(begin, end, size);
        int sb = smallBefore(begin);
        int se = smallBefore(end);
        return big.sum(begin - sb, end - se).add(small.sum(sb, se));
    }

    private void check(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("item " + index + " of " + size);
        }
    }
}
