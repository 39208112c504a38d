package nostr.core.crypto;

import java.util.Arrays;

/**
 * secp256k1 key arithmetic Nostr needs beyond signatures: public keys from secrets, x-only key
 * validation, and the unhashed ECDH x-coordinate NIP-04 and NIP-44 use as their shared secret.
 *
 * <p>libsecp256k1's own {@code ecdh()} hashes the point, which is wrong for Nostr; the shared
 * secret here is the raw x of {@code sec * P}, computed as a public-key tweak multiplication.
 */
public final class Curve {
    private Curve() {}

    /** True when {@code secret32} is a valid secp256k1 secret key (in [1, n-1]). */
    public static boolean isValidSecretKey(byte[] secret32) {
        if (secret32 == null || secret32.length != 32) {
            return false;
        }
        try {
            return Schnorr.SECP.secKeyVerify(secret32);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The 32-byte x-only public key of a secret key. */
    public static byte[] xOnlyPublicKey(byte[] secret32) {
        Schnorr.requireLength(secret32, 32, "secret key");
        byte[] full;
        try {
            full = Schnorr.SECP.pubkeyCreate(secret32);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("secret key is not a valid secp256k1 scalar");
        }
        return Arrays.copyOfRange(full, 1, 33);
    }

    /** True when the 32 bytes are the x-coordinate of a point on the curve. */
    public static boolean isValidXOnly(byte[] xonly32) {
        if (xonly32 == null || xonly32.length != 32) {
            return false;
        }
        try {
            Schnorr.SECP.pubkeyParse(compressedEven(xonly32));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The x-coordinate of {@code secret * lift_x(xonly)}: the NIP-04 / NIP-44 shared secret.
     *
     * @throws IllegalArgumentException when either key is invalid
     */
    public static byte[] sharedX(byte[] secret32, byte[] xonly32) {
        Schnorr.requireLength(secret32, 32, "secret key");
        Schnorr.requireLength(xonly32, 32, "public key");
        try {
            byte[] point = Schnorr.SECP.pubKeyTweakMul(compressedEven(xonly32), secret32);
            return Arrays.copyOfRange(point, 1, 33);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid key for ECDH");
        }
    }

    private static byte[] compressedEven(byte[] xonly32) {
        byte[] c = new byte[33];
        c[0] = 0x02;
        System.arraycopy(xonly32, 0, c, 1, 32);
        return c;
    }
}
