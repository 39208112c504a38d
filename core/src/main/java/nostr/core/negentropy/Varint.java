package nostr.core.negentropy;

/**
 * Negentropy varints: unsigned 64-bit values as base-128 digits, most significant first, the high
 * bit set on every byte but the last, as few digits as possible.
 */
final class Varint {
    /** The longest encoding of a 64-bit value. */
    static final int MAX_BYTES = 10;

    private Varint() {}

    /** Writes {@code value} (unsigned) at {@code offset}; returns the number of bytes written. */
    static int write(long value, byte[] out, int offset) {
        int digits = length(value);
        for (int i = digits - 1; i >= 0; i--) {
            int digit = (int) (value >>> (7 * i)) & 0x7f;
            out[offset++] = (byte) (i == 0 ? digit : digit | 0x80);
        }
        return digits;
    }

    /** Number of bytes {@code value} (unsigned) encodes to. */
    static int length(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value);
        return bits == 0 ? 1 : (bits + 6) / 7;
    }
}
