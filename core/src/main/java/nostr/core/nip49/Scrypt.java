package nostr.core.nip49;

import java.security.GeneralSecurityException;
import java.security.spec.InvalidKeySpecException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * scrypt (RFC 7914), which the JDK lacks: PBKDF2-HMAC-SHA256 (the JDK's, one iteration) expands the
 * password into p blocks of 128*r bytes, each block goes through ROMix (N rounds of BlockMix over
 * Salsa20/8 filling a table, then N data-dependent reads from it), and a second one-iteration
 * PBKDF2 with the mixed blocks as salt gives the key.
 *
 * <p>Words are kept as little-endian {@code int}s throughout, so the table for N = 2^logN takes
 * {@code 128 * r * N} bytes in one {@code int[]}. Callers bound logN (see {@link Nip49}).
 */
final class Scrypt {
    private Scrypt() {}

    /** Bytes of memory ROMix needs for these parameters. */
    static long memoryBytes(int logN, int r) {
        return logN > 40 ? Long.MAX_VALUE : 128L * r << logN;
    }

    /**
     * Derives {@code dkLen} bytes.
     *
     * @param password the password; the JDK's PBKDF2 encodes it as UTF-8 (callers ensure it has no
     *     lone surrogates)
     * @param salt non-empty (the JDK's PBKDF2 refuses an empty salt)
     */
    static byte[] derive(char[] password, byte[] salt, int logN, int r, int p, int dkLen) {
        if (logN < 1 || logN > 30) {
            throw new IllegalArgumentException("scrypt log_n must be between 1 and 30, got " + logN);
        }
        if (r < 1 || p < 1 || 128L * r * p > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("scrypt r and p out of range");
        }
        if (32L * r << logN > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("scrypt log_n " + logN + " with r " + r + " needs a table larger than a JVM array");
        }
        int blockBytes = 128 * r;
        byte[] b = pbkdf2(password, salt, p * blockBytes);
        int n = 1 << logN;
        int words = 32 * r;
        int[] x = new int[words];
        int[] v = new int[words * n];
        int[] scratch = new int[words];
        int[] t = new int[16];
        for (int i = 0; i < p; i++) {
            int off = i * blockBytes;
            for (int k = 0; k < words; k++) {
                x[k] = le32(b, off + 4 * k);
            }
            romix(x, v, scratch, t, n, r);
            for (int k = 0; k < words; k++) {
                putLe32(b, off + 4 * k, x[k]);
            }
        }
        java.util.Arrays.fill(v, 0);
        java.util.Arrays.fill(x, 0);
        try {
            return pbkdf2(password, b, dkLen);
        } finally {
            java.util.Arrays.fill(b, (byte) 0);
        }
    }

    private static void romix(int[] x, int[] v, int[] scratch, int[] t, int n, int r) {
        int words = 32 * r;
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, 0, v, i * words, words);
            blockMix(x, scratch, t, r);
        }
        int last = (2 * r - 1) * 16;
        for (int i = 0; i < n; i++) {
            int j = x[last] & (n - 1);
            int base = j * words;
            for (int k = 0; k < words; k++) {
                x[k] ^= v[base + k];
            }
            blockMix(x, scratch, t, r);
        }
    }

    /** BlockMix_{Salsa20/8, r}: chains Salsa20/8 over the 2r 64-byte blocks, even outputs first, then odd. */
    private static void blockMix(int[] b, int[] y, int[] t, int r) {
        System.arraycopy(b, (2 * r - 1) * 16, t, 0, 16);
        for (int i = 0; i < 2 * r; i++) {
            for (int k = 0; k < 16; k++) {
                t[k] ^= b[i * 16 + k];
            }
            salsa8(t);
            int dest = (i % 2 == 0 ? i / 2 : r + i / 2) * 16;
            System.arraycopy(t, 0, y, dest, 16);
        }
        System.arraycopy(y, 0, b, 0, 32 * r);
    }

    /** The Salsa20/8 core on 16 words, in place. */
    static void salsa8(int[] b) {
        int x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3], x4 = b[4], x5 = b[5], x6 = b[6], x7 = b[7];
        int x8 = b[8], x9 = b[9], x10 = b[10], x11 = b[11], x12 = b[12], x13 = b[13], x14 = b[14], x15 = b[15];
        for (int i = 0; i < 8; i += 2) {
            // columns
            x4 ^= Integer.rotateLeft(x0 + x12, 7);
            x8 ^= Integer.rotateLeft(x4 + x0, 9);
            x12 ^= Integer.rotateLeft(x8 + x4, 13);
            x0 ^= Integer.rotateLeft(x12 + x8, 18);
            x9 ^= Integer.rotateLeft(x5 + x1, 7);
            x13 ^= Integer.rotateLeft(x9 + x5, 9);
            x1 ^= Integer.rotateLeft(x13 + x9, 13);
            x5 ^= Integer.rotateLeft(x1 + x13, 18);
            x14 ^= Integer.rotateLeft(x10 + x6, 7);
            x2 ^= Integer.rotateLeft(x14 + x10, 9);
            x6 ^= Integer.rotateLeft(x2 + x14, 13);
            x10 ^= Integer.rotateLeft(x6 + x2, 18);
            x3 ^= Integer.rotateLeft(x15 + x11, 7);
            x7 ^= Integer.rotateLeft(x3 + x15, 9);
            x11 ^= Integer.rotateLeft(x7 + x3, 13);
            x15 ^= Integer.rotateLeft(x11 + x7, 18);
            // rows
            x1 ^= Integer.rotateLeft(x0 + x3, 7);
            x2 ^= Integer.rotateLeft(x1 + x0, 9);
            x3 ^= Integer.rotateLeft(x2 + x1, 13);
            x0 ^= Integer.rotateLeft(x3 + x2, 18);
            x6 ^= Integer.rotateLeft(x5 + x4, 7);
            x7 ^= Integer.rotateLeft(x6 + x5, 9);
            x4 ^= Integer.rotateLeft(x7 + x6, 13);
            x5 ^= Integer.rotateLeft(x4 + x7, 18);
            x11 ^= Integer.rotateLeft(x10 + x9, 7);
            x8 ^= Integer.rotateLeft(x11 + x10, 9);
            x9 ^= Integer.rotateLeft(x8 + x11, 13);
            x10 ^= Integer.rotateLeft(x9 + x8, 18);
            x12 ^= Integer.rotateLeft(x15 + x14, 7);
            x13 ^= Integer.rotateLeft(x12 + x15, 9);
            x14 ^= Integer.rotateLeft(x13 + x12, 13);
            x15 ^= Integer.rotateLeft(x14 + x13, 18);
        }
        b[0] += x0;
        b[1] += x1;
        b[2] += x2;
        b[3] += x3;
        b[4] += x4;
        b[5] += x5;
        b[6] += x6;
        b[7] += x7;
        b[8] += x8;
        b[9] += x9;
        b[10] += x10;
        b[11] += x11;
        b[12] += x12;
        b[13] += x13;
        b[14] += x14;
        b[15] += x15;
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, 1, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("scrypt: PBKDF2 refused its input: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
