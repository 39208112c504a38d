package nostr.core.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import nostr.core.Hex;
import nostr.core.json.Json;
import nostr.core.json.JsonValueException;
import nostr.core.keys.SecretKey;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * An unsigned event: what a client fills in before signing.
 *
 * @param createdAt unix seconds
 * @param kind 0..65535
 * @param tags tags (copied)
 * @param content content
 */
public record EventTemplate(long createdAt, int kind, List<List<String>> tags, String content) {

    public EventTemplate {
        if (kind < 0 || kind > EventJson.MAX_KIND) {
            throw new IllegalArgumentException("kind must be between 0 and 65535, got " + kind);
        }
        if (createdAt < 0 || createdAt > EventJson.MAX_CREATED_AT) {
            throw new IllegalArgumentException("created_at is out of range: " + createdAt);
        }
        Objects.requireNonNull(content, "content");
        List<List<String>> copy = new ArrayList<>(tags.size());
        for (List<String> t : tags) {
            if (t.isEmpty()) {
                throw new IllegalArgumentException("tags must not be empty arrays");
            }
            copy.add(List.copyOf(t));
        }
        tags = List.copyOf(copy);
    }

    /** A template stamped with the current time. */
    public static EventTemplate of(int kind, String content, List<List<String>> tags) {
        return new EventTemplate(Instant.now().getEpochSecond(), kind, tags, content);
    }

    /** Computes the id for {@code key}'s public key, signs it and returns the event. */
    public Event sign(SecretKey key) {
        String pubkey = key.publicKey().hex();
        byte[] id = Canonical.id(pubkey, createdAt, kind, tags, content);
        String idHex = Hex.encode(id);
        String sig = Hex.encode(key.sign(id));
        return new Event(idHex, pubkey, createdAt, kind, tags, content, sig,
                EventJson.write(idHex, pubkey, createdAt, kind, tags, content, sig));
    }

    /** A parsed template and the pubkey it named, if any (signers check it against their key). */
    public record Parsed(EventTemplate template, String pubkey) {}

    /**
     * Parses an unsigned event object as clients hand it to a signer: {@code kind} is required;
     * {@code created_at} defaults to now, {@code tags} to none, {@code content} to "".
     * {@code id} and {@code sig}, if present, are ignored (they are recomputed); a {@code pubkey}
     * is returned for the signer to check.
     *
     * @throws InvalidEventException naming the bad or missing field
     */
    public static Parsed parse(String json) throws InvalidEventException {
        Long createdAt = null;
        Integer kind = null;
        List<List<String>> tags = List.of();
        String content = "";
        String pubkey = null;
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("event must be a JSON object");
            }
            while (Json.next(p) != JsonToken.END_OBJECT) {
                String name = p.currentName();
                Json.next(p);
                switch (name) {
                    case "created_at" -> createdAt = Json.readInteger(p, "created_at", 0, EventJson.MAX_CREATED_AT);
                    case "kind" -> kind = (int) Json.readInteger(p, "kind", 0, EventJson.MAX_KIND);
                    case "tags" -> tags = EventJson.readTags(p);
                    case "content" -> content = Json.readString(p, "content");
                    case "pubkey" -> {
                        pubkey = Json.readString(p, "pubkey");
                        if (!Hex.isLowerHex(pubkey, 64)) {
                            throw new InvalidEventException("pubkey must be 64 lowercase hex characters");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (!Json.atEnd(p)) {
                throw new InvalidEventException("trailing data after the event object");
            }
        } catch (JacksonException e) {
            throw new InvalidEventException(Json.describe(e));
        } catch (JsonValueException e) {
            throw new InvalidEventException(e.getMessage());
        }
        if (kind == null) {
            throw new InvalidEventException("missing field kind");
        }
        long ts = createdAt != null ? createdAt : Instant.now().getEpochSecond();
        return new Parsed(new EventTemplate(ts, kind, tags, content), pubkey);
    }
}
