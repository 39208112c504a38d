package nostr.core.nip59;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import nostr.core.Hex;
import nostr.core.event.Canonical;
import nostr.core.event.EventJson;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;
import nostr.core.json.Json;
import nostr.core.json.JsonValueException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A NIP-59 rumor: an event with its id but no signature, so that if it leaks it cannot be
 * attributed. It travels NIP-44 encrypted inside a seal.
 *
 * @param id 64 lowercase hex, the NIP-01 id of the other fields
 * @param pubkey 64 lowercase hex, the author (must equal the seal's signer)
 * @param createdAt unix seconds: the message's real time (seal and wrap times are randomized)
 * @param kind 0..65535
 * @param tags tags (copied, immutable)
 * @param content content
 */
public record Rumor(String id, String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {

    public Rumor {
        Hex.decode(id, 32, "rumor id");
        Hex.decode(pubkey, 32, "rumor pubkey");
        Objects.requireNonNull(content, "content");
        EventTemplate checked = new EventTemplate(createdAt, kind, tags, content);
        tags = checked.tags();
    }

    /** The rumor of {@code template} by {@code pubkeyHex}, its id computed. */
    public static Rumor of(EventTemplate template, String pubkeyHex) {
        Hex.decode(pubkeyHex, 32, "rumor pubkey");
        String id = Hex.encode(Canonical.id(pubkeyHex, template.createdAt(), template.kind(), template.tags(), template.content()));
        return new Rumor(id, pubkeyHex, template.createdAt(), template.kind(), template.tags(), template.content());
    }

    /** True when {@link #id()} is the NIP-01 id of the other fields. */
    public boolean hasValidId() {
        return id.equals(Hex.encode(Canonical.id(pubkey, createdAt, kind, tags, content)));
    }

    /** The unsigned fields as a template. */
    public EventTemplate template() {
        return new EventTemplate(createdAt, kind, tags, content);
    }

    /** Value of the first tag named {@code name}, or null. */
    public String tagValue(String name) {
        for (List<String> t : tags) {
            if (t.size() >= 2 && t.get(0).equals(name)) {
                return t.get(1);
            }
        }
        return null;
    }

    /** Values of every tag named {@code name}, in order. */
    public List<String> tagValues(String name) {
        List<String> out = new ArrayList<>();
        for (List<String> t : tags) {
            if (t.size() >= 2 && t.get(0).equals(name)) {
                out.add(t.get(1));
            }
        }
        return out;
    }

    /** Compact JSON: {@code {"id","pubkey","created_at","kind","tags","content"}}, no {@code sig}. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(200 + content.length());
        sb.append("{\"id\":\"").append(id)
                .append("\",\"pubkey\":\"").append(pubkey)
                .append("\",\"created_at\":").append(createdAt)
                .append(",\"kind\":").append(kind)
                .append(",\"tags\":");
        EventJson.appendTags(sb, tags);
        sb.append(",\"content\":");
        Json.appendQuoted(sb, content);
        sb.append('}');
        return sb.toString();
    }

    /**
     * Parses a rumor: all six fields required with exact types, a {@code sig} refused (NIP-59: "the
     * inner event MUST always be unsigned"), and the id checked against the contents.
     *
     * @throws InvalidEventException naming the problem
     */
    public static Rumor parse(String json) throws InvalidEventException {
        String id = null;
        String pubkey = null;
        String content = null;
        long createdAt = -1;
        int kind = -1;
        List<List<String>> tags = null;
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("rumor must be a JSON object");
            }
            while (Json.next(p) != JsonToken.END_OBJECT) {
                String name = p.currentName();
                Json.next(p);
                switch (name) {
                    case "id" -> id = hex(Json.readString(p, "id"), "id");
                    case "pubkey" -> pubkey = hex(Json.readString(p, "pubkey"), "pubkey");
                    case "created_at" -> createdAt = Json.readInteger(p, "created_at", 0, EventJson.MAX_CREATED_AT);
                    case "kind" -> kind = (int) Json.readInteger(p, "kind", 0, EventJson.MAX_KIND);
                    case "tags" -> tags = EventJson.readTags(p);
                    case "content" -> content = Json.readString(p, "content");
                    case "sig" -> throw new InvalidEventException("rumor must not be signed");
                    default -> p.skipChildren();
                }
            }
            if (!Json.atEnd(p)) {
                throw new InvalidEventException("trailing data after the rumor object");
            }
        } catch (JacksonException e) {
            throw new InvalidEventException("rumor is " + Json.describe(e));
        } catch (JsonValueException e) {
            throw new InvalidEventException("rumor " + e.getMessage());
        }
        String missing = id == null ? "id" : pubkey == null ? "pubkey" : createdAt < 0 ? "created_at"
                : kind < 0 ? "kind" : tags == null ? "tags" : content == null ? "content" : null;
        if (missing != null) {
            throw new InvalidEventException("rumor is missing field " + missing);
        }
        Rumor r = new Rumor(id, pubkey, createdAt, kind, tags, content);
        if (!r.hasValidId()) {
            throw new InvalidEventException("rumor id does not match its contents");
        }
        return r;
    }

    private static String hex(String v, String name) {
        if (!Hex.isLowerHex(v, 64)) {
            throw new JsonValueException(name + " must be 64 lowercase hex characters");
        }
        return v;
    }
}
