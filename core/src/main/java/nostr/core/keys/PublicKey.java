package nostr.core.keys;

import java.util.Locale;
import nostr.core.Hex;
import nostr.core.crypto.Curve;
import nostr.core.nip19.Nip19;
import nostr.core.nip19.Nip19Entity;

/**
 * An x-only secp256k1 public key as Nostr writes it: 64 lowercase hex characters.
 *
 * @param hex the key; the constructor checks the format, {@link #parse} also checks it is on the curve
 */
public record PublicKey(String hex) {
    public PublicKey {
        Hex.decode(hex, 32, "pubkey");
    }

    /**
     * Parses hex (any case) or {@code npub1...}/{@code nprofile1...}, and checks the key is a point on the curve.
     */
    public static PublicKey parse(String hexOrNpub) {
        String s = hexOrNpub.strip();
        PublicKey key;
        if (s.startsWith("npub1") || s.startsWith("nprofile1") || s.startsWith("nostr:")) {
            key = switch (Nip19.decode(s)) {
                case Nip19Entity.Npub n -> new PublicKey(n.pubkey());
                case Nip19Entity.Nprofile p -> new PublicKey(p.pubkey());
                default -> throw new IllegalArgumentException("not a public key: " + s);
            };
        } else {
            key = new PublicKey(s.toLowerCase(Locale.ROOT));
        }
        if (!Curve.isValidXOnly(key.bytes())) {
            throw new IllegalArgumentException("pubkey is not a point on secp256k1");
        }
        return key;
    }

    /** The 32 raw bytes. */
    public byte[] bytes() {
        return Hex.decode(hex);
    }

    /** The {@code npub1...} form. */
    public String npub() {
        return Nip19.npub(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
