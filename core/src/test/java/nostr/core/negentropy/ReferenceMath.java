package nostr.core.negentropy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The protocol's arithmetic written out independently of the code under test, straight from the
 * protocol text: varints digit by digit, the id sum with BigInteger, the fingerprint with a fresh
 * SHA-256. Tests derive expected bytes with it.
 */
final class ReferenceMath {
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(256);

    private ReferenceMath() {}

    /** Base-128, most significant digit first, high bit on all but the last byte. */
    static byte[] varint(BigInteger n) {
        if (n.signum() == 0) {
            return new byte[] {0};
        }
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        BigInteger v = n;
        while (v.signum() > 0) {
            digits.write(v.and(BigInteger.valueOf(0x7f)).intValue());
            v = v.shiftRight(7);
        }
        byte[] d = digits.toByteArray();
        byte[] out = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (byte) (d[d.length - 1 - i] | (i < d.length - 1 ? 0x80 : 0));
        }
        return out;
    }

    static byte[] varint(long n) {
        return varint(new BigInteger(Long.toUnsignedString(n)));
    }

    /** Sum of ids read as little-endian integers, mod 2^256. */
    static BigInteger sum(List<byte[]> ids) {
        BigInteger s = BigInteger.ZERO;
        for (byte[] id : ids) {
            s = s.add(littleEndian(id));
        }
        return s.mod(MOD);
    }

    static BigInteger littleEndian(byte[] b) {
        byte[] be = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            be[i] = b[b.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    /** A value mod 2^256 as 32 little-endian bytes. */
    static byte[] toLittleEndian32(BigInteger v) {
        byte[] out = new byte[32];
        BigInteger x = v.mod(MOD);
        for (int i = 0; i < 32; i++) {
            out[i] = (byte) x.shiftRight(8 * i).and(BigInteger.valueOf(0xff)).intValue();
        }
        return out;
    }

    /** First 16 bytes of SHA-256(sum as 32 LE bytes || varint(count)). */
    static byte[] fingerprint(List<byte[]> ids) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(toLittleEndian32(sum(ids)));
            sha.update(varint(ids.size()));
            return Arrays.copyOf(sha.digest(), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Concatenates byte arrays and single bytes (Integer) into one message. */
    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof byte[] b) {
                out.writeBytes(b);
            } else if (p instanceof Integer i) {
                out.write(i);
            } else if (p instanceof List<?> list) {
                for (Object o : list) {
                    out.writeBytes((byte[]) o);
                }
            } else {
                throw new IllegalArgumentException("cannot concatenate " + p);
            }
        }
        return out.toByteArray();
    }
}
