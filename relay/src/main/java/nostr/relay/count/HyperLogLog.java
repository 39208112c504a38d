package nostr.relay.count;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import nostr.core.Hex;

/**
 * The 256 HyperLogLog registers NIP-45 lets a relay return with a count, so that clients can merge
 * the answers of several relays (register-wise maximum) and estimate how many distinct authors
 * reacted, replied or follow.
 *
 * <p>The algorithm is the NIP's, step by step: for each counted event, the byte of its pubkey at
 * position {@code offset} picks the register; the number of leading zero bits of the pubkey from
 * byte {@code offset + 1} on, plus one, is kept if it is larger than the register's value. The
 * {@code offset} comes from the filter ({@link #offset(String)}): the first value of its first tag
 * attribute, taken as a 32-byte hex string (an id or pubkey as is, the pubkey of an address
 * {@code kind:pubkey:d}, else the SHA-256 of the value), whose character 32 read as a hex digit,
 * plus 8, is the offset (8..23). The encoding is the registers as 256 bytes in hex, 512 characters.
 *
 * <p>The NIP counts zero bits to the end of the pubkey; nostr-tools 2.25.2 looks at 7 bytes and
 * go-nostr at 8. They differ only for pubkeys with 56 or more zero bits in a row there.
 */
public final class HyperLogLog {
    /** Number of registers (and bytes of the encoding). */
    public static final int REGISTERS = 256;

    private final int offset;
    private final byte[] registers = new byte[REGISTERS];

    /** @param offset the byte of the pubkey that picks the register, 0..30 (the NIP's offsets are 8..23) */
    public HyperLogLog(int offset) {
        if (offset < 0 || offset > 30) {
            throw new IllegalArgumentException("offset must be 0..30, got " + offset);
        }
        this.offset = offset;
    }

    /**
     * The NIP-45 offset for a filter whose first tag attribute's first value is {@code value}.
     */
    public static int offset(String value) {
        String hex;
        if (Hex.isLowerHex(value, 64)) {
            hex = value;
        } else {
            String[] parts = value.split(":", 3);
            if (parts.length == 3 && Hex.isLowerHex(parts[1], 64)) {
                hex = parts[1];
            } else {
                hex = Hex.encode(sha256(value.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return Character.digit(hex.charAt(32), 16) + 8;
    }

    /** Adds the author of one counted event (32 bytes). */
    public void add(byte[] pubkey) {
        if (pubkey.length != 32) {
            throw new IllegalArgumentException("a pubkey is 32 bytes, got " + pubkey.length);
        }
        int register = pubkey[offset] & 0xff;
        int zeros = 0;
        for (int i = offset + 1; i < pubkey.length; i++) {
            int b = pubkey[i] & 0xff;
            if (b != 0) {
                zeros += Integer.numberOfLeadingZeros(b) - 24;
                break;
            }
            zeros += 8;
        }
        int value = zeros + 1;
        if (value > (registers[register] & 0xff)) {
            registers[register] = (byte) value;
        }
    }

    /** The offset in use. */
    public int offset() {
        return offset;
    }

    /** The register values, 0..255 each. */
    public int[] registers() {
        int[] out = new int[REGISTERS];
        for (int i = 0; i < REGISTERS; i++) {
            out[i] = registers[i] & 0xff;
        }
        return out;
    }

    /** The 512-character hex encoding of the registers (the {@code hll} field). */
    public String hex() {
        return Hex.encode(registers);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
