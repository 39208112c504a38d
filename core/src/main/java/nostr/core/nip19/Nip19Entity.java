package nostr.core.nip19;

import java.util.List;
import nostr.core.Hex;

/** A NIP-19 entity: a bare key or id, or a TLV-shareable profile, event or address. */
public sealed interface Nip19Entity {

    /** Its bech32 form. */
    default String encode() {
        return Nip19.encode(this);
    }

    /** {@code npub}: a public key (64 lowercase hex). */
    record Npub(String pubkey) implements Nip19Entity {
        public Npub {
            Hex.decode(pubkey, 32, "pubkey");
        }
    }

    /** {@code nsec}: a secret key. {@link #toString()} never shows it. */
    record Nsec(byte[] secretKey) implements Nip19Entity {
        public Nsec {
            if (secretKey.length != 32) {
                throw new IllegalArgumentException("secret key must be 32 bytes");
            }
        }

        @Override
        public String toString() {
            return "Nsec[redacted]";
        }
    }

    /** {@code note}: an event id. */
    record Note(String id) implements Nip19Entity {
        public Note {
            Hex.decode(id, 32, "event id");
        }
    }

    /** {@code nprofile}: a public key with relay hints. */
    record Nprofile(String pubkey, List<String> relays) implements Nip19Entity {
        public Nprofile {
            Hex.decode(pubkey, 32, "pubkey");
            relays = List.copyOf(relays);
        }
    }

    /** {@code nevent}: an event id with optional relay hints, author (null if absent) and kind (null if absent). */
    record Nevent(String id, List<String> relays, String author, Integer kind) implements Nip19Entity {
        public Nevent {
            Hex.decode(id, 32, "event id");
            if (author != null) {
                Hex.decode(author, 32, "author");
            }
            relays = List.copyOf(relays);
        }
    }

    /** {@code naddr}: the coordinate of an addressable or replaceable event (identifier "" for replaceable). */
    record Naddr(String identifier, String pubkey, int kind, List<String> relays) implements Nip19Entity {
        public Naddr {
            Hex.decode(pubkey, 32, "pubkey");
            if (identifier == null) {
                throw new IllegalArgumentException("naddr identifier must not be null");
            }
            relays = List.copyOf(relays);
        }
    }
}
