package nostr.core.negentropy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The running sum of item ids behind a negentropy fingerprint (protocol v1 "Fingerprint
 * Algorithm"): ids read as 32-byte little-endian unsigned integers, added modulo 2^256. The
 * fingerprint of a range is the first 16 bytes of {@code SHA-256(sum as 32 LE bytes || varint(count))}.
 *
 * <p>Because the sum is a group operation, a storage can keep sums of prefixes (or of tree nodes)
 * and get the sum of any range by {@link #subtract subtraction} instead of re-adding every id;
 * {@link NegentropyArrayStorage} does that. Mutable and not thread-safe; {@link #copy} before
 * sharing.
 */
public final class IdSum {
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final MessageDigest SHA256_PROTOTYPE;

    static {
        try {
            SHA256_PROTOTYPE = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Limbs of the 256-bit sum, least significant first.
    private long l0;
    private long l1;
    private long l2;
    private long l3;

    /** A sum of zero (the sum of no ids). */
    public IdSum() {}

    /** A copy of this sum. */
    public IdSum copy() {
        IdSum s = new IdSum();
        s.l0 = l0;
        s.l1 = l1;
        s.l2 = l2;
        s.l3 = l3;
        return s;
    }

    /** Adds a 32-byte id. */
    public IdSum add(byte[] id) {
        if (id.length != Negentropy.ID_SIZE) {
            throw new IllegalArgumentException("an id is 32 bytes; got " + id.length);
        }
        return add(id, 0);
    }

    /** Adds the 32-byte id at {@code offset} of {@code bytes}. */
    public IdSum add(byte[] bytes, int offset) {
        checkId(bytes, offset);
        addLimbs((long) LE_LONG.get(bytes, offset), (long) LE_LONG.get(bytes, offset + 8),
                (long) LE_LONG.get(bytes, offset + 16), (long) LE_LONG.get(bytes, offset + 24));
        return this;
    }

    /** Adds another sum (the union of two disjoint sets of ids). */
    public IdSum add(IdSum other) {
        addLimbs(other.l0, other.l1, other.l2, other.l3);
        return this;
    }

    /** Subtracts the 32-byte id at {@code offset} of {@code bytes}. */
    public IdSum subtract(byte[] bytes, int offset) {
        checkId(bytes, offset);
        subtractLimbs((long) LE_LONG.get(bytes, offset), (long) LE_LONG.get(bytes, offset + 8),
                (long) LE_LONG.get(bytes, offset + 16), (long) LE_LONG.get(bytes, offset + 24));
        return this;
    }

    /** Subtracts another sum (removing a subset of ids). */
    public IdSum subtract(IdSum other) {
        subtractLimbs(other.l0, other.l1, other.l2, other.l3);
        return this;
    }

    /** The sum as 32 little-endian bytes. */
    public byte[] toBytes() {
        byte[] out = new byte[Negentropy.ID_SIZE];
        LE_LONG.set(out, 0, l0);
        LE_LONG.set(out, 8, l1);
        LE_LONG.set(out, 16, l2);
        LE_LONG.set(out, 24, l3);
        return out;
    }

    /**
     * The 16-byte fingerprint of a range whose ids sum to this value and that holds {@code count} items.
     */
    public byte[] fingerprint(long count) {
        byte[] input = new byte[Negentropy.ID_SIZE + 10];
        LE_LONG.set(input, 0, l0);
        LE_LONG.set(input, 8, l1);
        LE_LONG.set(input, 16, l2);
        LE_LONG.set(input, 24, l3);
        int n = Varint.write(count, input, Negentropy.ID_SIZE);
        MessageDigest sha;
        try {
            sha = (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
        sha.update(input, 0, Negentropy.ID_SIZE + n);
        byte[] digest = sha.digest();
        byte[] out = new byte[Negentropy.FINGERPRINT_SIZE];
        System.arraycopy(digest, 0, out, 0, out.length);
        return out;
    }

    /** Loads limbs stored by {@link #storeTo} at {@code offset} (4 longs). */
    void loadFrom(long[] limbs, int offset) {
        l0 = limbs[offset];
        l1 = limbs[offset + 1];
        l2 = limbs[offset + 2];
        l3 = limbs[offset + 3];
    }

    /** Stores the limbs at {@code offset} of {@code limbs} (4 longs). */
    void storeTo(long[] limbs, int offset) {
        limbs[offset] = l0;
        limbs[offset + 1] = l1;
        limbs[offset + 2] = l2;
        limbs[offset + 3] = l3;
    }

    private void addLimbs(long b0, long b1, long b2, long b3) {
        long s0 = l0 + b0;
        long c = carry(l0, b0, s0);
        long s1 = l1 + b1 + c;
        c = carry(l1, b1, s1);
        long s2 = l2 + b2 + c;
        c = carry(l2, b2, s2);
        l3 = l3 + b3 + c;
        l0 = s0;
        l1 = s1;
        l2 = s2;
    }

    private void subtractLimbs(long b0, long b1, long b2, long b3) {
        long d0 = l0 - b0;
        long w = borrow(l0, b0, d0);
        long d1 = l1 - b1 - w;
        w = borrow(l1, b1, d1);
        long d2 = l2 - b2 - w;
        w = borrow(l2, b2, d2);
        l3 = l3 - b3 - w;
        l0 = d0;
        l1 = d1;
        l2 = d2;
    }

    // Carry out of a + b + carryIn = s (Hacker's Delight 2-13).
    private static long carry(long a, long b, long s) {
        return ((a & b) | ((a | b) & ~s)) >>> 63;
    }

    // Borrow out of a - b - borrowIn = d (Hacker's Delight 2-13).
    private static long borrow(long a, long b, long d) {
        return ((~a & b) | ((~a | b) & d)) >>> 63;
    }

    private static void checkId(byte[] bytes, int offset) {
        if (offset < 0 || bytes.length - offset < Negentropy.ID_SIZE) {
            throw new IllegalArgumentException("an id is 32 bytes; got " + Math.max(0, bytes.length - offset)
                    + " bytes from offset " + offset);
        }
    }
}
