package nostr.relay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collection;
import java.util.Map;
import nostr.core.json.Json;
import nostr.core.testing.Node;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * NIP-45 registers as nostr-tools 2.25.2 computes them ({@code interop/nip45-hll.mjs}): the
 * independent implementation the relay's {@code hll} answers are checked against.
 */
public final class NostrToolsHll {
    /** nostr-tools' offset and encoded registers for a filter's first tag value and the counted authors. */
    public record Result(int offset, String hll) {}

    private NostrToolsHll() {}

    public static Result compute(String firstTagValue, Collection<String> pubkeys) {
        StringBuilder in = new StringBuilder("{\"value\":").append(Json.quote(firstTagValue)).append(",\"pubkeys\":[");
        int i = 0;
        for (String pk : pubkeys) {
            in.append(i++ > 0 ? "," : "").append(Json.quote(pk));
        }
        in.append("]}");
        Node.Result r = Node.run("nip45-hll.mjs", in.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, String> out = new java.util.HashMap<>();
        try (JsonParser p = Json.parser(r.lines().getFirst())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                p.nextToken();
                out.put(key, p.getString());
            }
        }
        return new Result(Integer.parseInt(out.get("offset")), out.get("hll"));
    }
}
