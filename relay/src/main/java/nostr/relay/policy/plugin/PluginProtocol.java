package nostr.relay.policy.plugin;

import java.util.regex.Pattern;
import nostr.core.json.Json;
import nostr.relay.policy.IpAddresses;
import nostr.relay.policy.WriteRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * strfry's write-policy plugin protocol, one JSON object per line each way.
 *
 * <p>To the plugin: {@code {"type":"new","event":{...},"receivedAt":<unix s>,"sourceType":"IP4"|"IP6"|"Internal",
 * "sourceInfo":"<client address>","authed":["<pubkey>",...]}} ({@code authed}, the connection's
 * NIP-42 pubkeys, is ours; strfry plugins ignore unknown keys). The event is the client's own
 * JSON text with any line breaks between tokens turned into spaces (JSON strings cannot hold raw
 * line breaks, so nothing inside a value changes).
 *
 * <p>From the plugin: {@code {"id":"<event id>","action":"accept"|"reject"|"shadowReject","msg":"..."}};
 * {@code msg} is the OK message of a rejection; one without a NIP-01 prefix gets {@code blocked: }.
 */
public final class PluginProtocol {
    private static final Pattern PREFIX = Pattern.compile("^[a-z-]+: .*", Pattern.DOTALL);

    /** One answer line, parsed. */
    public record Answer(String id, PluginVerdict verdict) {}

    private PluginProtocol() {}

    /** The request line for {@code r} (without the newline). */
    public static String request(WriteRequest r) {
        String raw = r.event().json().replace('\n', ' ').replace('\r', ' ');
        StringBuilder sb = new StringBuilder(raw.length() + 200);
        sb.append("{\"type\":\"new\",\"event\":").append(raw)
                .append(",\"receivedAt\":").append(r.nowSeconds())
                .append(",\"sourceType\":");
        Json.appendQuoted(sb, IpAddresses.sourceType(r.client().ip()));
        sb.append(",\"sourceInfo\":");
        Json.appendQuoted(sb, r.client().ip());
        sb.append(",\"authed\":[");
        int i = 0;
        for (String pk : r.client().auth().pubkeys()) {
            sb.append(i++ > 0 ? "," : "");
            Json.appendQuoted(sb, pk);
        }
        return sb.append("]}").toString();
    }

    /**
     * Parses an answer line.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static Answer parse(String line) {
        String id = null;
        String action = null;
        String msg = "";
        try (JsonParser p = Json.parser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("answer must be a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "id" -> id = text(p, t, "id");
                    case "action" -> action = text(p, t, "action");
                    case "msg" -> msg = t == JsonToken.VALUE_NULL ? "" : text(p, t, "msg");
                    default -> p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("answer is not JSON: " + Json.describe(e));
        }
        if (id == null) {
            throw new IllegalArgumentException("answer has no id");
        }
        if (action == null) {
            throw new IllegalArgumentException("answer has no action");
        }
        PluginVerdict v = switch (action) {
            case "accept" -> PluginVerdict.ACCEPT;
            case "shadowReject" -> PluginVerdict.SHADOW_REJECT;
            case "reject" -> new PluginVerdict.Reject(rejection(msg));
            default -> throw new IllegalArgumentException("unknown action '" + action + "' (accept, reject or shadowReject)");
        };
        return new Answer(id, v);
    }

    private static String rejection(String msg) {
        if (msg.isBlank()) {
            return "blocked: rejected by this relay's write policy";
        }
        return PREFIX.matcher(msg).matches() ? msg : "blocked: " + msg;
    }

    private static String text(JsonParser p, JsonToken t, String field) {
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return p.getString();
    }
}
