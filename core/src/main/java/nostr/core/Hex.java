package nostr.core;

import java.util.Arrays;

/**
 * Lowercase hexadecimal, the only hex Nostr accepts on the wire (NIP-01: "lowercase hex").
 *
 * <p>Decoding is strict: uppercase digits, odd lengths and stray characters are refused, so that a
 * value which decodes also round-trips to the same string.
 */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 16; i++) {
            VALUES[DIGITS[i]] = (byte) i;
        }
    }

    private Hex() {}

    /** Encodes bytes as lowercase hex. */
    public static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    /** Encodes {@code length} bytes from {@code offset} as lowercase hex. */
    public static String encode(byte[] bytes, int offset, int length) {
        byte[] out = new byte[length * 2];
        for (int i = 0; i < length; i++) {
            int b = bytes[offset + i] & 0xff;
            out[2 * i] = (byte) DIGITS[b >>> 4];
            out[2 * i + 1] = (byte) DIGITS[b & 0xf];
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Decodes lowercase hex.
     *
     * @throws IllegalArgumentException naming the problem when {@code hex} is not lowercase hex of even length
     */
    public static byte[] decode(String hex) {
        int n = hex.length();
        if ((n & 1) != 0) {
            throw new IllegalArgumentException("hex has odd length " + n);
        }
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            int hi = value(hex.charAt(i));
            int lo = value(hex.charAt(i + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not lowercase hex at position " + (hi < 0 ? i : i + 1));
            }
            out[i / 2] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * Decodes lowercase hex that must encode exactly {@code bytes} bytes.
     *
     * @param what names the value in the error message, e.g. "pubkey"
     */
    public static byte[] decode(String hex, int bytes, String what) {
        if (hex == null || hex.length() != bytes * 2) {
            throw new IllegalArgumentException(what + " must be " + (bytes * 2) + " lowercase hex characters");
        }
        try {
            return decode(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is " + e.getMessage());
        }
    }

    /** True when {@code s} is exactly {@code chars} characters of lowercase hex. */
    public static boolean isLowerHex(String s, int chars) {
        if (s == null || s.length() != chars) {
            return false;
        }
        for (int i = 0; i < chars; i++) {
            if (value(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }
}
