package nostr.signer.keys;

import java.util.regex.Pattern;

import nostr.core.Hex;
import nostr.core.nip19.Nip19;

/**
 * A stored identity's public metadata (never the secret): its key id, public key, label and when it
 * was stored. Selectors match an npub, the hex pubkey, the key id or the label.
 *
 * @param keyId short stable name, unique in the store
 * @param pubkey 64 lowercase hex
 * @param label human label (defaults to the key id)
 * @param createdAt unix seconds
 */
public record Identity(String keyId, String pubkey, String label, long createdAt) {
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");

    public Identity {
        if (!Hex.isLowerHex(pubkey, 64)) {
            throw new IllegalArgumentException("identity pubkey must be 64 lowercase hex characters");
        }
        checkKeyId(keyId);
    }

    /** The bech32 {@code npub1...} form of the public key. */
    public String npub() {
        return Nip19.npub(pubkey);
    }

    /** True when {@code selector} names this identity. */
    public boolean matches(String selector) {
        String s = selector.strip();
        return s.equals(npub()) || s.equalsIgnoreCase(pubkey) || s.equals(keyId) || s.equals(label);
    }

    /** The key id a new identity gets when none is given: the first 16 hex digits of its pubkey. */
    public static String defaultKeyId(String pubkeyHex) {
        return pubkeyHex.substring(0, 16);
    }

    /** Checks a key id: 1..64 of letters, digits and {@code . _ @ + -}, not an npub. */
    public static String checkKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches() || keyId.startsWith("npub1")) {
            throw new IllegalArgumentException("key id must be 1 to 64 letters, digits or . _ @ + - (and not an npub), got '"
                    + keyId + "'");
        }
        return keyId;
    }
}
