package nostr.cli;

import java.util.ArrayList;
import java.util.List;
import nostr.core.Hex;
import nostr.core.json.Json;
import nostr.core.json.JsonValueException;
import nostr.core.nip19.Nip19Entity;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The JSON form of NIP-19 entities that {@code decode} prints and {@code encode} reads back:
 * {@code {"type":"nevent","id":...,"relays":[...],"author":...,"kind":...}}. Keys are hex; absent
 * optional fields are left out.
 */
final class Nip19Json {
    private Nip19Json() {}

    static String write(Nip19Entity entity) {
        return switch (entity) {
            case Nip19Entity.Npub n -> new JsonLine().put("type", "npub").put("pubkey", n.pubkey()).toString();
            case Nip19Entity.Nsec n -> new JsonLine().put("type", "nsec").put("seckey", Hex.encode(n.secretKey()))
                    .toString();
            case Nip19Entity.Note n -> new JsonLine().put("type", "note").put("id", n.id()).toString();
            case Nip19Entity.Nprofile p -> new JsonLine().put("type", "nprofile").put("pubkey", p.pubkey())
                    .put("relays", p.relays()).toString();
            case Nip19Entity.Nevent e -> new JsonLine().put("type", "nevent").put("id", e.id())
                    .put("relays", e.relays()).put("author", e.author()).put("kind", e.kind()).toString();
            case Nip19Entity.Naddr a -> new JsonLine().put("type", "naddr").put("identifier", a.identifier())
                    .put("pubkey", a.pubkey()).put("kind", a.kind()).put("relays", a.relays()).toString();
        };
    }

    /** Reads the object {@link #write} prints. */
    static Nip19Entity read(String json) {
        String type = null;
        String pubkey = null;
        String seckey = null;
        String id = null;
        String author = null;
        String identifier = null;
        Integer kind = null;
        List<String> relays = List.of();
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            while (Json.next(p) != JsonToken.END_OBJECT) {
                String name = p.currentName();
                JsonToken t = Json.next(p);
                switch (name) {
                    case "type" -> type = Json.readString(p, "type");
                    case "pubkey" -> pubkey = Json.readString(p, "pubkey");
                    case "seckey" -> seckey = Json.readString(p, "seckey");
                    case "id" -> id = Json.readString(p, "id");
                    case "author" -> author = t == JsonToken.VALUE_NULL ? null : Json.readString(p, "author");
                    case "identifier" -> identifier = Json.readString(p, "identifier");
                    case "kind" -> kind = t == JsonToken.VALUE_NULL ? null
                            : (int) Json.readInteger(p, "kind", 0, 0xffffffffL >>> 1);
                    case "relays" -> relays = strings(p);
                    default -> p.skipChildren();
                }
            }
            if (!Json.atEnd(p)) {
                throw new IllegalArgumentException("trailing data after the JSON object");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException(Json.describe(e));
        } catch (JsonValueException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (type == null) {
            throw new IllegalArgumentException("missing field type");
        }
        return switch (type) {
            case "npub" -> new Nip19Entity.Npub(required(pubkey, "pubkey"));
            case "nsec" -> new Nip19Entity.Nsec(Hex.decode(required(seckey, "seckey"), 32, "seckey"));
            case "note" -> new Nip19Entity.Note(required(id, "id"));
            case "nprofile" -> new Nip19Entity.Nprofile(required(pubkey, "pubkey"), relays);
            case "nevent" -> new Nip19Entity.Nevent(required(id, "id"), relays, author, kind);
            case "naddr" -> new Nip19Entity.Naddr(required(identifier, "identifier"), required(pubkey, "pubkey"),
                    required(kind, "kind"), relays);
            default -> throw new IllegalArgumentException("unknown type '" + type
                    + "' (expected npub, nsec, note, nprofile, nevent or naddr)");
        };
    }

    private static <T> T required(T v, String field) {
        if (v == null) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return v;
    }

    private static List<String> strings(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonValueException("relays must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        while (Json.next(p) != JsonToken.END_ARRAY) {
            out.add(Json.readString(p, "relays"));
        }
        return out;
    }
}
