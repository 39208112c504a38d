package nostr.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nostr.core.json.Json;
import nostr.core.testing.Node;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * NIP-45 COUNT and NIP-50 search with an independent client: nostr-tools 2.25.2 counts
 * ({@code Relay.count}, {@code countWithHLL}) and compares our registers with its own NIP-45
 * computation over the reactions it published; it sees a refused COUNT as a rejection with our
 * reason; its search subscriptions get ranked results, the limit after ranking, extensions
 * ignored, and live matches.
 */
class NostrToolsCountSearchTest {
    @TempDir
    Path dir;

    @Test
    void nip45AndNip50WorkWithNostrTools() throws Exception {
        try (SqliteStorage storage = SqliteStorage.open(dir, SqliteOptions.defaults());
             Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir), storage)) {
            Node.Result r = Node.run("relay-nip45-nip50.mjs", null, relay.url());
            assertEquals(0, r.exitCode(), r.stderr());
            Map<String, Map<String, Object>> steps = new HashMap<>();
            for (String line : r.lines()) {
                Map<String, Object> step = parse(line);
                steps.put((String) step.get("step"), step);
            }
            Map<String, Object> count = steps.get("count");
            assertEquals("30", count.get("count"));
            assertEquals("30", count.get("hllCount"));
            assertEquals(count.get("expectedHll"), count.get("hll"), "our registers are nostr-tools' registers");
            assertEquals("1", steps.get("mine").get("count"));
            assertEquals(true, steps.get("refused").get("refused"));
            assertTrue(((String) steps.get("refused").get("reason")).startsWith("auth-required:"), steps.get("refused").toString());

            Map<String, Object> search = steps.get("search");
            assertEquals(List.of(search.get("dense"), search.get("sparse")), search.get("ids"), "best match first");
            assertEquals(List.of(search.get("dense")), steps.get("limit").get("ids"));
            assertEquals(List.of(steps.get("extensions").get("other")), steps.get("extensions").get("ids"));
            assertEquals(List.of(steps.get("live").get("hit")), steps.get("live").get("ids"));
        }
    }

    /** A flat JSON object of strings, numbers (as text), booleans and arrays of strings. */
    private static Map<String, Object> parse(String line) {
        Map<String, Object> m = new HashMap<>();
        try (JsonParser p = Json.parser(line)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() != JsonToken.END_OBJECT) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    List<String> list = new java.util.ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        list.add(p.getString());
                    }
                    m.put(key, list);
                } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    m.put(key, t == JsonToken.VALUE_TRUE);
                } else {
                    m.put(key, p.getString());
                }
            }
        }
        return m;
    }
}
