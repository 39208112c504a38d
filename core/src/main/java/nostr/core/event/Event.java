package nostr.core.event;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import nostr.core.Hex;
import nostr.core.crypto.Schnorr;

/**
 * A Nostr event (NIP-01) together with the exact JSON text it was received as.
 *
 * <p>Relays serve {@link #json()} verbatim: field order and spacing as the author sent them.
 * Events built here ({@link EventTemplate#sign}) carry their own compact serialization.
 * Parsing ({@link #parse}) is strict about types and hex; it does not verify the id or signature:
 * call {@link #verify()}.
 *
 * @param id 64 lowercase hex, sha256 of the canonical serialization
 * @param pubkey 64 lowercase hex, x-only public key of the author
 * @param createdAt unix seconds
 * @param kind 0..65535
 * @param tags immutable lists of strings, each with at least one element
 * @param content arbitrary string
 * @param sig 128 lowercase hex, BIP-340 signature of the id
 * @param json the event object's JSON text as received
 */
public record Event(String id, String pubkey, long createdAt, int kind, List<List<String>> tags,
                    String content, String sig, String json) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pubkey, "pubkey");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sig, "sig");
        Objects.requireNonNull(json, "json");
    }

    /** Strictly parses one event object; unknown fields are tolerated and kept in {@link #json()}. */
    public static Event parse(String json) throws InvalidEventException {
        return EventJson.parse(json);
    }

    /** Its NIP-01 storage class. */
    public KindClass kindClass() {
        return KindClass.of(kind);
    }

    /** Value of the first tag named {@code name}, or null when there is none or it has no value. */
    public String tagValue(String name) {
        for (List<String> t : tags) {
            if (t.size() >= 2 && t.get(0).equals(name)) {
                return t.get(1);
            }
        }
        return null;
    }

    /** Values of every tag named {@code name} (the second element of each), in order. */
    public List<String> tagValues(String name) {
        List<String> out = new ArrayList<>();
        for (List<String> t : tags) {
            if (t.size() >= 2 && t.get(0).equals(name)) {
                out.add(t.get(1));
            }
        }
        return out;
    }

    /** The {@code d} tag value that keys addressable events; "" when absent (NIP-01). */
    public String dTag() {
        String d = tagValue("d");
        return d == null ? "" : d;
    }

    /**
     * The NIP-40 expiration timestamp, if the event has an {@code expiration} tag holding a
     * non-negative decimal integer.
     */
    public OptionalLong expiration() {
        String v = tagValue("expiration");
        if (v == null || v.isEmpty() || v.length() > 19) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** True when the NIP-40 expiration is at or before {@code nowSeconds}. */
    public boolean isExpired(long nowSeconds) {
        OptionalLong exp = expiration();
        return exp.isPresent() && exp.getAsLong() <= nowSeconds;
    }

    /** True when the event carries the NIP-70 {@code ["-"]} tag. */
    public boolean isProtected() {
        for (List<String> t : tags) {
            if (t.size() == 1 && t.get(0).equals("-")) {
                return true;
            }
        }
        return false;
    }

    /** The id recomputed from the content fields (hex). */
    public String computeId() {
        return Hex.encode(Canonical.id(pubkey, createdAt, kind, tags, content));
    }

    /** True when {@link #id()} equals the recomputed id. */
    public boolean hasValidId() {
        byte[] expected = Canonical.id(pubkey, createdAt, kind, tags, content);
        return Hex.isLowerHex(id, 64) && MessageDigest.isEqual(expected, Hex.decode(id));
    }

    /** True when {@link #sig()} is a valid BIP-340 signature of {@link #id()} by {@link #pubkey()}. */
    public boolean hasValidSignature() {
        if (!Hex.isLowerHex(sig, 128) || !Hex.isLowerHex(id, 64) || !Hex.isLowerHex(pubkey, 64)) {
            return false;
        }
        return Schnorr.verify(Hex.decode(sig), Hex.decode(id), Hex.decode(pubkey));
    }

    /** Checks the id and the signature; the message says which one failed. */
    public void verify() throws InvalidEventException {
        if (!hasValidId()) {
            throw new InvalidEventException("id does not match the event's contents");
        }
        if (!hasValidSignature()) {
            throw new InvalidEventException("signature is invalid");
        }
    }

    /** True when both the id and the signature check out. */
    public boolean isValid() {
        return hasValidId() && hasValidSignature();
    }

    @Override
    public String toString() {
        return json;
    }
}
