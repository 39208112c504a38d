package nostr.core.nip19;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32 (BIP-173), as NIP-19 uses it: the original checksum constant, not bech32m, and no
 * 90-character cap because TLV entities (nprofile, nevent, naddr) are often longer.
 */
public final class Bech32 {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GEN = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    /** Generous bound that still refuses absurd inputs before any work is done. */
    static final int MAX_LENGTH = 5000;

    /** A decoded bech32 string: human-readable part and the data converted back to 8-bit bytes. */
    public record Decoded(String hrp, byte[] data) {}

    private Bech32() {}

    /** Encodes 8-bit {@code data} under {@code hrp}. */
    public static String encode(String hrp, byte[] data) {
        byte[] five = convertBits(data, 8, 5, true);
        byte[] checksum = checksum(hrp, five);
        StringBuilder sb = new StringBuilder(hrp.length() + 1 + five.length + 6);
        sb.append(hrp).append('1');
        for (byte b : five) {
            sb.append(CHARSET.charAt(b));
        }
        for (byte b : checksum) {
            sb.append(CHARSET.charAt(b));
        }
        return sb.toString();
    }

    /**
     * Decodes a bech32 string.
     *
     * @throws IllegalArgumentException naming the problem (mixed case, bad character, bad checksum, padding)
     */
    public static Decoded decode(String s) {
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("bech32 string is too long");
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126) {
                throw new IllegalArgumentException("bech32 string has an invalid character");
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper) {
            throw new IllegalArgumentException("bech32 string mixes upper and lower case");
        }
        s = s.toLowerCase(Locale.ROOT);
        int sep = s.lastIndexOf('1');
        if (sep < 1 || sep + 7 > s.length()) {
            throw new IllegalArgumentException("bech32 string has no valid separator");
        }
        String hrp = s.substring(0, sep);
        byte[] values = new byte[s.length() - sep - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(s.charAt(sep + 1 + i));
            if (v < 0) {
                throw new IllegalArgumentException("bech32 string has an invalid character '" + s.charAt(sep + 1 + i) + "'");
            }
            values[i] = (byte) v;
        }
        if (polymod(expand(hrp, values)) != 1) {
            throw new IllegalArgumentException("bech32 checksum is wrong");
        }
        byte[] five = java.util.Arrays.copyOf(values, values.length - 6);
        return new Decoded(hrp, convertBits(five, 5, 8, false));
    }

    private static byte[] checksum(String hrp, byte[] five) {
        byte[] enc = expand(hrp, five);
        byte[] withZeros = java.util.Arrays.copyOf(enc, enc.length + 6);
        int mod = polymod(withZeros) ^ 1;
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
        }
        return out;
    }

    private static byte[] expand(String hrp, byte[] data) {
        int h = hrp.length();
        byte[] out = new byte[h * 2 + 1 + data.length];
        for (int i = 0; i < h; i++) {
            out[i] = (byte) (hrp.charAt(i) >> 5);
            out[h + 1 + i] = (byte) (hrp.charAt(i) & 31);
        }
        System.arraycopy(data, 0, out, h * 2 + 1, data.length);
        return out;
    }

    private static int polymod(byte[] values) {
        int chk = 1;
        for (byte v : values) {
            int top = chk >>> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= GEN[i];
                }
            }
        }
        return chk;
    }

    private static byte[] convertBits(byte[] in, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        int maxv = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * from / to + 1);
        for (byte b : in) {
            int v = b & 0xff;
            acc = (acc << from) | v;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & maxv);
            }
        } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
            throw new IllegalArgumentException("bech32 data has invalid padding");
        }
        return out.toByteArray();
    }
}
