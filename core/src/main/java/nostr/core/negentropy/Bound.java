package nostr.core.negentropy;

import java.util.Arrays;
import nostr.core.Hex;

/**
 * A point in the negentropy item space (protocol v1 "Bound"): a timestamp and an id prefix of 0 to
 * 32 bytes, the omitted trailing bytes being zero. Ranges are {@code [previous bound, this bound)}.
 *
 * <p>Timestamps are unsigned 64-bit values held in a {@code long}; {@link #INFINITY_TIMESTAMP}
 * ({@code 2^64-1}, that is {@code -1L}) is the "infinity" that ends the last range and that no item
 * may carry. Instances are immutable.
 */
public final class Bound implements Comparable<Bound> {
    /** The reserved "infinity" timestamp, {@code 2^64 - 1} as an unsigned value. */
    public static final long INFINITY_TIMESTAMP = -1L;

    /** The lowest bound: timestamp 0, empty prefix. Every message's first range starts here. */
    public static final Bound ZERO = new Bound(0, new byte[0]);

    /** The bound past every item: timestamp infinity, empty prefix. */
    public static final Bound INFINITY = new Bound(INFINITY_TIMESTAMP, new byte[0]);

    private final long timestamp;
    private final byte[] prefix;

    private Bound(long timestamp, byte[] prefix) {
        this.timestamp = timestamp;
        this.prefix = prefix;
    }

    /**
     * A bound of {@code timestamp} and a copy of {@code idPrefix}.
     *
     * @throws IllegalArgumentException when the prefix is longer than 32 bytes
     */
    public static Bound of(long timestamp, byte[] idPrefix) {
        if (idPrefix.length > Negentropy.ID_SIZE) {
            throw new IllegalArgumentException("bound id prefix is " + idPrefix.length + " bytes, at most 32 allowed");
        }
        return new Bound(timestamp, idPrefix.clone());
    }

    /** A bound of {@code timestamp} with an empty id prefix. */
    public static Bound of(long timestamp) {
        return new Bound(timestamp, new byte[0]);
    }

    /** The bound equal to an item: its timestamp and its whole 32-byte id. */
    static Bound ofItem(long timestamp, byte[] id) {
        return new Bound(timestamp, id);
    }

    /** Takes ownership of {@code prefix} (at most 32 bytes, checked by the caller). */
    static Bound wrap(long timestamp, byte[] prefix) {
        return new Bound(timestamp, prefix);
    }

    /** The timestamp (unsigned; {@link #INFINITY_TIMESTAMP} for infinity). */
    public long timestamp() {
        return timestamp;
    }

    /** A copy of the id prefix (0 to 32 bytes). */
    public byte[] idPrefix() {
        return prefix.clone();
    }

    /** Length of the id prefix in bytes. */
    public int idPrefixLength() {
        return prefix.length;
    }

    byte[] prefixArray() {
        return prefix;
    }

    /**
     * Compares this bound with an item, its id zero-padded: negative when the bound sorts before
     * the item, zero when equal, positive after. Items sort by timestamp (unsigned), then id bytes.
     *
     * @param id the item's id, 32 bytes from {@code offset}
     */
    public int compareToItem(long itemTimestamp, byte[] id, int offset) {
        int c = Long.compareUnsigned(timestamp, itemTimestamp);
        if (c != 0) {
            return c;
        }
        int n = prefix.length;
        c = Arrays.compareUnsigned(prefix, 0, n, id, offset, offset + n);
        if (c != 0) {
            return c;
        }
        for (int i = offset + n; i < offset + Negentropy.ID_SIZE; i++) {
            if (id[i] != 0) {
                return -1;
            }
        }
        return 0;
    }

    /** Orders bounds by timestamp (unsigned), then by zero-padded id prefix. */
    @Override
    public int compareTo(Bound other) {
        int c = Long.compareUnsigned(timestamp, other.timestamp);
        if (c != 0) {
            return c;
        }
        for (int i = 0; i < Negentropy.ID_SIZE; i++) {
            int a = i < prefix.length ? prefix[i] & 0xff : 0;
            int b = i < other.prefix.length ? other.prefix[i] & 0xff : 0;
            if (a != b) {
                return a < b ? -1 : 1;
            }
        }
        return 0;
    }

    /** Equal when timestamp and prefix bytes (including the prefix length) are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Bound b && b.timestamp == timestamp && Arrays.equals(b.prefix, prefix);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestamp) * 31 + Arrays.hashCode(prefix);
    }

    @Override
    public String toString() {
        String ts = timestamp == INFINITY_TIMESTAMP ? "infinity" : Long.toUnsignedString(timestamp);
        return "Bound(" + ts + "," + Hex.encode(prefix) + ")";
    }
}
