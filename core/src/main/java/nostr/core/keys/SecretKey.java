package nostr.core.keys;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import nostr.core.Hex;
import nostr.core.crypto.Curve;
import nostr.core.crypto.Schnorr;
import nostr.core.nip19.Nip19;
import nostr.core.nip19.Nip19Entity;

/**
 * A secp256k1 secret key. Holds its own copy of the 32 bytes; {@link #destroy()} zeroes them.
 * {@link #toString()} never reveals the key.
 */
public final class SecretKey implements Destroyable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private volatile PublicKey publicKey;
    private volatile boolean destroyed;

    private SecretKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh random key. */
    public static SecretKey generate() {
        byte[] b = new byte[32];
        do {
            RANDOM.nextBytes(b);
        } while (!Curve.isValidSecretKey(b));
        return new SecretKey(b);
    }

    /** Copies 32 bytes into a key; refuses values outside [1, n-1]. */
    public static SecretKey fromBytes(byte[] secret32) {
        if (!Curve.isValidSecretKey(secret32)) {
            throw new IllegalArgumentException("secret key is not a valid secp256k1 scalar");
        }
        return new SecretKey(secret32.clone());
    }

    /** Parses 64 lowercase hex characters or an {@code nsec1...} string. */
    public static SecretKey parse(String hexOrNsec) {
        String s = hexOrNsec.strip();
        if (s.startsWith("nsec1")) {
            if (!(Nip19.decode(s) instanceof Nip19Entity.Nsec nsec)) {
                throw new IllegalArgumentException("not an nsec");
            }
            byte[] b = nsec.secretKey();
            try {
                return fromBytes(b);
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        }
        if (!Hex.isLowerHex(s.toLowerCase(java.util.Locale.ROOT), 64)) {
            throw new IllegalArgumentException("secret key must be 64 hex characters or nsec1...");
        }
        byte[] b = Hex.decode(s.toLowerCase(java.util.Locale.ROOT));
        try {
            return fromBytes(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** The x-only public key. */
    public PublicKey publicKey() {
        PublicKey p = publicKey;
        if (p == null) {
            p = new PublicKey(Hex.encode(Curve.xOnlyPublicKey(bytesForUse())));
            publicKey = p;
        }
        return p;
    }

    /** BIP-340 signature of a 32-byte message. */
    public byte[] sign(byte[] message32) {
        return Schnorr.sign(message32, bytesForUse());
    }

    /** The unhashed ECDH x-coordinate with {@code peer} (NIP-04 / NIP-44 shared secret). */
    public byte[] sharedX(PublicKey peer) {
        return Curve.sharedX(bytesForUse(), peer.bytes());
    }

    /** A copy of the raw 32 bytes; the caller should zero it after use. */
    public byte[] toBytes() {
        return bytesForUse().clone();
    }

    /** 64 lowercase hex characters. */
    public String toHex() {
        return Hex.encode(bytesForUse());
    }

    /** The {@code nsec1...} form. */
    public String toNsec() {
        return Nip19.encode(new Nip19Entity.Nsec(bytesForUse()));
    }

    private byte[] bytesForUse() {
        if (destroyed) {
            throw new IllegalStateException("secret key was destroyed");
        }
        return bytes;
    }

    /** Zeroes the key bytes; the object is unusable afterwards. */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SecretKey[redacted, pubkey=" + (destroyed ? "?" : publicKey().hex()) + "]";
    }
}
