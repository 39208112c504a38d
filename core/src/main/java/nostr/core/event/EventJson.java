package nostr.core.event;

import java.util.ArrayList;
import java.util.List;
import nostr.core.Hex;
import nostr.core.json.Json;
import nostr.core.json.JsonValueException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Strict reading and compact writing of event JSON.
 *
 * <p>Reading demands all seven NIP-01 fields exactly once with exact types: lowercase hex of
 * exact length for id, pubkey and sig; created_at a non-negative integer (integral values in
 * exponent or fraction form are accepted, JavaScript writes them); kind an integer 0..65535;
 * tags an array of non-empty arrays of strings; content a string. Unknown fields are skipped.
 */
public final class EventJson {
    /** NIP-01: "kind: integer between 0 and 65535". */
    public static final int MAX_KIND = 65535;
    /** created_at must fit a JavaScript safe integer, the widest any client can write exactly. */
    public static final long MAX_CREATED_AT = (1L << 53) - 1;

    private EventJson() {}

    /** Parses a JSON text holding exactly one event object. */
    public static Event parse(String json) throws InvalidEventException {
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("event must be a JSON object");
            }
            Event e = read(p, json);
            if (!Json.atEnd(p)) {
                throw new InvalidEventException("trailing data after the event object");
            }
            return e;
        } catch (JacksonException e) {
            throw new InvalidEventException(Json.describe(e));
        }
    }

    /**
     * Reads the event object whose START_OBJECT is the parser's current token, leaving the parser
     * on its END_OBJECT. {@code source} must be the text the parser reads (a String source, so
     * that token offsets are char offsets); the object's exact text becomes {@link Event#json()}.
     *
     * @throws JacksonException if the JSON itself is malformed
     */
    public static Event read(JsonParser p, String source) throws InvalidEventException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidEventException("event must be a JSON object");
        }
        int start = (int) p.currentTokenLocation().getCharOffset();
        String id = null;
        String pubkey = null;
        String sig = null;
        String content = null;
        long createdAt = -1;
        int kind = -1;
        List<List<String>> tags = null;
        try {
            JsonToken t;
            while ((t = Json.next(p)) != JsonToken.END_OBJECT) {
                String name = p.currentName();
                Json.next(p);
                switch (name) {
                    case "id" -> id = hexField(p, id, "id", 64);
                    case "pubkey" -> pubkey = hexField(p, pubkey, "pubkey", 64);
                    case "sig" -> sig = hexField(p, sig, "sig", 128);
                    case "content" -> {
                        once(content != null, "content");
                        content = Json.readString(p, "content");
                    }
                    case "created_at" -> {
                        once(createdAt >= 0, "created_at");
                        createdAt = Json.readInteger(p, "created_at", 0, MAX_CREATED_AT);
                    }
                    case "kind" -> {
                        once(kind >= 0, "kind");
                        kind = (int) Json.readInteger(p, "kind", 0, MAX_KIND);
                    }
                    case "tags" -> {
                        once(tags != null, "tags");
                        tags = readTags(p);
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonValueException e) {
            throw new InvalidEventException(e.getMessage(), id);
        }
        String missing = id == null ? "id" : pubkey == null ? "pubkey" : createdAt < 0 ? "created_at"
                : kind < 0 ? "kind" : tags == null ? "tags" : content == null ? "content" : sig == null ? "sig" : null;
        if (missing != null) {
            throw new InvalidEventException("missing field " + missing, id);
        }
        int end = (int) p.currentLocation().getCharOffset();
        return new Event(id, pubkey, createdAt, kind, tags, content, sig, source.substring(start, end));
    }

    /** Reads a tags array: an array of arrays of strings, each inner array non-empty. */
    public static List<List<String>> readTags(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonValueException("tags must be an array");
        }
        List<List<String>> tags = new ArrayList<>();
        JsonToken t;
        while ((t = Json.next(p)) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_ARRAY) {
                throw new JsonValueException("tag " + tags.size() + " must be an array");
            }
            List<String> tag = new ArrayList<>(3);
            while ((t = Json.next(p)) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_STRING) {
                    throw new JsonValueException("tag " + tags.size() + " must hold only strings");
                }
                tag.add(p.getString());
            }
            if (tag.isEmpty()) {
                throw new JsonValueException("tag " + tags.size() + " is empty");
            }
            tags.add(List.copyOf(tag));
        }
        return List.copyOf(tags);
    }

    private static String hexField(JsonParser p, String previous, String name, int chars) {
        once(previous != null, name);
        String v = Json.readString(p, name);
        if (!Hex.isLowerHex(v, chars)) {
            throw new JsonValueException(name + " must be " + chars + " lowercase hex characters");
        }
        return v;
    }

    private static void once(boolean seen, String name) {
        if (seen) {
            throw new JsonValueException("duplicate field " + name);
        }
    }

    /** Compact JSON of an event in NIP-01 field order, with {@code JSON.stringify} escaping. */
    public static String write(String id, String pubkey, long createdAt, int kind, List<List<String>> tags,
                               String content, String sig) {
        StringBuilder sb = new StringBuilder(200 + content.length() + tags.size() * 80);
        sb.append("{\"id\":\"").append(id)
                .append("\",\"pubkey\":\"").append(pubkey)
                .append("\",\"created_at\":").append(createdAt)
                .append(",\"kind\":").append(kind)
                .append(",\"tags\":");
        appendTags(sb, tags);
        sb.append(",\"content\":");
        Json.appendQuoted(sb, content);
        sb.append(",\"sig\":\"").append(sig).append("\"}");
        return sb.toString();
    }

    /** Appends a tags array as compact JSON. */
    public static void appendTags(StringBuilder sb, List<List<String>> tags) {
        sb.append('[');
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('[');
            List<String> tag = tags.get(i);
            for (int j = 0; j < tag.size(); j++) {
                if (j > 0) {
                    sb.append(',');
                }
                Json.appendQuoted(sb, tag.get(j));
            }
            sb.append(']');
        }
        sb.append(']');
    }
}
