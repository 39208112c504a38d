package nostr.relay.interop;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.testing.Node;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * NIP-01 with an independent client: nostr-tools 2.25.2 (npm, under node with the ws package)
 * publishes, is told duplicate and invalid, subscribes, gets EOSE and live events, closes, and
 * reads an event our own client published; our client reads back what nostr-tools published.
 */
class NostrToolsInteropTest {
    @TempDir
    Path dir;

    @Test
    void nip01NostrToolsPublishesSubscribesAndClosesAgainstTheRelay() throws Exception {
        try (SqliteStorage storage = SqliteStorage.open(dir, SqliteOptions.defaults());
             Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir), storage);
             WsClient ours = WsClient.connect(relay.url())) {
            Event foreign = event(SecretKey.generate(), 1, System.currentTimeMillis() / 1000, "from the Java client");
            assertTrue(ours.publish(foreign).accepted());

            List<String> lines = Node.lines("relay-nostr-tools.mjs", null, relay.url(), foreign.id());
            Map<String, Map<String, Object>> steps = new HashMap<>();
            for (String line : lines) {
                Map<String, Object> step = parse(line);
                steps.put((String) step.get("step"), step);
            }
            String a = (String) steps.get("publish").get("id");
            assertEquals("", steps.get("publish").get("reason"));
            assertTrue(((String) steps.get("duplicate").get("reason")).startsWith("duplicate:"));
            assertEquals(false, steps.get("invalid").get("accepted"));
            assertTrue(((String) steps.get("invalid").get("reason")).startsWith("invalid:"), steps.get("invalid").toString());
            assertEquals(List.of(a), steps.get("eose").get("stored"));
            String b = (String) steps.get("live").get("id");
            assertEquals(List.of(a, b), steps.get("live").get("got"));
            String c = (String) steps.get("closed").get("id");
            assertEquals(List.of(a, b), steps.get("closed").get("got"), "nothing after CLOSE");
            assertEquals(List.of(c, a, b).stream().sorted().toList(),
                    ((List<?>) steps.get("closed").get("watched")).stream().map(String.class::cast).sorted().toList());
            assertEquals(List.of(foreign.id()), steps.get("foreign").get("got"));
            assertEquals(List.of(), steps.get("notices").get("notices"));

            // What nostr-tools published is stored and served as it sent it.
            List<String> ids = ours.query("check", Filter.builder().ids(a, b, c).build());
            assertEquals(3, ids.size());
            for (String raw : ours.rawEvents("check")) {
                assertTrue(Event.parse(raw.substring(raw.indexOf(",{") + 1, raw.length() - 1)).isValid());
            }
        }
    }

    /** A flat JSON object of strings, booleans and arrays of strings. */
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
