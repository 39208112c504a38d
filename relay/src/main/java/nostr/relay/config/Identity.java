package nostr.relay.config;

import nostr.core.Hex;

/**
 * Who runs the relay, as the NIP-11 document tells clients. Empty strings are left out of the
 * document.
 *
 * @param name short name (NIP-11 suggests under 30 characters)
 * @param description plain text
 * @param pubkey administrative contact, 64 lowercase hex, or ""
 * @param contact alternative contact URI (mailto:, https:), or ""
 * @param icon URL of a square icon, or ""
 */
public record Identity(String name, String description, String pubkey, String contact, String icon) {

    public Identity {
        if (!pubkey.isEmpty() && !Hex.isLowerHex(pubkey, 64)) {
            throw new IllegalArgumentException("pubkey must be 64 lowercase hex characters, got '" + pubkey + "'");
        }
    }

    public static Identity defaults() {
        return new Identity("parrhesia", "A Nostr relay.", "", "", "");
    }
}
