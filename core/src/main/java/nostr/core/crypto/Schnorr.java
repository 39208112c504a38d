package nostr.core.crypto;

import fr.acinq.secp256k1.Secp256k1;
import java.security.SecureRandom;

/**
 * BIP-340 Schnorr signatures over secp256k1, through libsecp256k1 (secp256k1-kmp JNI).
 *
 * <p>Nostr signs 32-byte messages only (the event id), so only 32-byte messages are accepted here.
 * Invalid keys or signatures make {@link #verify} answer false, never throw.
 */
public final class Schnorr {
    static final Secp256k1 SECP = Secp256k1.Companion.get();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Schnorr() {}

    /** Signs a 32-byte message with fresh auxiliary randomness (BIP-340 recommends it). */
    public static byte[] sign(byte[] message32, byte[] secretKey32) {
        byte[] aux = new byte[32];
        RANDOM.nextBytes(aux);
        return sign(message32, secretKey32, aux);
    }

    /** Signs with the given 32 bytes of auxiliary randomness (deterministic, for test vectors). */
    public static byte[] sign(byte[] message32, byte[] secretKey32, byte[] aux32) {
        requireLength(message32, 32, "message");
        requireLength(secretKey32, 32, "secret key");
        requireLength(aux32, 32, "auxiliary randomness");
        try {
            return SECP.signSchnorr(message32, secretKey32, aux32);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("secret key is not a valid secp256k1 scalar");
        }
    }

    /** True only if {@code sig64} is a valid BIP-340 signature of {@code message32} by x-only {@code pubkey32}. */
    public static boolean verify(byte[] sig64, byte[] message32, byte[] pubkey32) {
        if (sig64 == null || sig64.length != 64 || message32 == null || message32.length != 32
                || pubkey32 == null || pubkey32.length != 32) {
            return false;
        }
        try {
            return SECP.verifySchnorr(sig64, message32, pubkey32);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static void requireLength(byte[] b, int n, String what) {
        if (b == null || b.length != n) {
            throw new IllegalArgumentException(what + " must be " + n + " bytes");
        }
    }
}
