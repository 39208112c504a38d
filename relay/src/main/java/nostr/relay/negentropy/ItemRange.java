package nostr.relay.negentropy;

import nostr.core.negentropy.Bound;
import nostr.core.negentropy.IdSum;
import nostr.core.negentropy.NegentropyStorage;

/**
 * Positions {@code [from, to)} of another storage as a storage of their own: a filter's
 * {@code since}/{@code until} over the index, which orders items by time, is a contiguous range
 * (strfry's SubRange idea).
 */
final class ItemRange implements SummedItems {
    private final SummedItems base;
    private final int from;
    private final int size;

    private ItemRange(SummedItems base, int from, int to) {
        this.base = base;
        this.from = from;
        this.size = to - from;
    }

    /**
     * The items of {@code base} with {@code since <= created_at <= until} (either may be null).
     */
    static SummedItems of(SummedItems base, Long since, Long until) {
        int n = base.size();
        int lo = since == null || since <= 0 ? 0 : base.findLowerBound(0, n, Bound.of(since));
        int hi = until == null || until == Long.MAX_VALUE ? n : base.findLowerBound(lo, n, Bound.of(until + 1));
        if (lo == 0 && hi == n) {
            return base;
        }
        return new ItemRange(base, lo, Math.max(lo, hi));
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long timestamp(int index) {
        check(index);
        return base.timestamp(from + index);
    }

    @Override
    public void copyId(int index, byte[] dest, int offset) {
        check(index);
        base.copyId(from + index, dest, offset);
    }

    @Override
    public int findLowerBound(int begin, int end, Bound bound) {
        NegentropyStorage.checkRange(begin, end, size);
        return base.findLowerBound(from + begin, from + end, bound) - from;
    }

    @Override
    public IdSum sum(int begin, int end) {
        NegentropyStorage.checkRange(begin, end, size);
        return base.sum(from + begin, from + end);
    }

    private void check(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("item " + index + " of " + size);
        }
    }
}
