package nostr.core.negentropy;

/**
 * The sorted items one side of a negentropy reconciliation holds: {@code (timestamp, id)} pairs in
 * ascending order of timestamp (unsigned), then id bytes, without duplicates and without the
 * reserved infinity timestamp. The engine reads it by index only, so an implementation can sit on
 * whatever index already keeps events in that order.
 *
 * <p>An implementation must answer {@link #size}, {@link #timestamp} and {@link #copyId}. The
 * defaults of {@link #findLowerBound} (binary search) and {@link #fingerprint} (adding up every id
 * of the range) are correct for any implementation; override them when the backing index can do
 * better. {@link NegentropyArrayStorage} answers fingerprints in constant time from prefix sums; a
 * tree index can keep an {@link IdSum} per node for logarithmic fingerprints.
 *
 * <p>The contents must not change while an engine uses the storage. Reading methods of an
 * unchanging storage may be called from several threads at once (one engine per session, one
 * storage shared by many sessions).
 */
public interface NegentropyStorage {

    /** Number of items. */
    int size();

    /** Timestamp of the item at {@code index} (0-based, below {@link #size}), unsigned. */
    long timestamp(int index);

    /** Copies the 32-byte id of the item at {@code index} into {@code dest} at {@code offset}. */
    void copyId(int index, byte[] dest, int offset);

    /**
     * Index of the first item in {@code [begin, end)} that is not less than {@code bound}, or
     * {@code end} when all are less.
     */
    default int findLowerBound(int begin, int end, Bound bound) {
        checkRange(begin, end, size());
        byte[] id = new byte[Negentropy.ID_SIZE];
        int lo = begin;
        int hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            copyId(mid, id, 0);
            if (bound.compareToItem(timestamp(mid), id, 0) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The 16-byte fingerprint of the items in {@code [begin, end)}. */
    default byte[] fingerprint(int begin, int end) {
        checkRange(begin, end, size());
        IdSum sum = new IdSum();
        byte[] id = new byte[Negentropy.ID_SIZE];
        for (int i = begin; i < end; i++) {
            copyId(i, id, 0);
            sum.add(id, 0);
        }
        return sum.fingerprint(end - begin);
    }

    /** Checks {@code 0 <= begin <= end <= size}, naming the bad range otherwise. */
    static void checkRange(int begin, int end, int size) {
        if (begin < 0 || begin > end || end > size) {
            throw new IndexOutOfBoundsException("range [" + begin + ", " + end + ") is outside [0, " + size + ")");
        }
    }
}
