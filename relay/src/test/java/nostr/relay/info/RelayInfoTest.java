package nostr.relay.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nostr.core.json.Json;
import nostr.relay.config.Identity;
import nostr.relay.config.Limits;
import nostr.relay.config.NegentropyConfig;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** The NIP-11 document: valid JSON, honest supported_nips, every limit under limitation. */
class RelayInfoTest {

    @Test
    void nip11DocumentListsIdentityNipsAndEveryLimit() {
        Limits l = new Limits(1000, 2, 3, 4, 1, 5, 6, 7, 8, 9, 10, 11, 12);
        String json = RelayInfo.json(new Identity("r \"q\"", "d", "a".repeat(64), "mailto:x@y", ""), l, true);
        Map<String, Object> doc = flatten(json);
        assertEquals("r \"q\"", doc.get("name"));
        assertEquals("d", doc.get("description"));
        assertEquals("a".repeat(64), doc.get("pubkey"));
        assertEquals("mailto:x@y", doc.get("contact"));
        assertFalse(doc.containsKey("icon"), "empty fields are left out");
        assertEquals(List.of(1L, 9L, 11L, 13L, 17L, 40L, 42L, 43L, 44L, 45L, 50L, 59L, 62L, 66L, 70L, 77L, 86L, 98L), doc.get("supported_nips"));
        assertEquals(1000L, doc.get("limitation.max_message_length"));
        assertEquals(2L, doc.get("limitation.max_subscriptions"));
        assertEquals(3L, doc.get("limitation.max_filters"));
        assertEquals(4L, doc.get("limitation.max_limit"));
        assertEquals(1L, doc.get("limitation.default_limit"));
        assertEquals(5L, doc.get("limitation.max_subid_length"));
        assertEquals(6L, doc.get("limitation.max_event_tags"));
        assertEquals(7L, doc.get("limitation.max_content_length"));
        assertEquals(8L, doc.get("limitation.max_req_events"));
        assertEquals(9L, doc.get("limitation.created_at_lower_limit"));
        assertEquals(10L, doc.get("limitation.created_at_upper_limit"));
        assertEquals(11L, doc.get("limitation.max_event_rate"));
        assertEquals(false, doc.get("limitation.auth_required"));
        assertEquals(false, doc.get("limitation.payment_required"));
        assertEquals(true, doc.get("limitation.restricted_writes"));
    }

    @Test
    void nip11SelfIsTheRelaysOwnPubkeyWhenGiven() {
        String self = "b".repeat(64);
        Map<String, Object> doc = flatten(RelayInfo.json(Identity.defaults(), self, Limits.defaults(), false));
        assertEquals(self, doc.get("self"));
        assertFalse(flatten(RelayInfo.json(Identity.defaults(), "", Limits.defaults(), false)).containsKey("self"));
    }

    @Test
    void nip11DisabledBoundsAreNotAdvertised() {
        Map<String, Object> doc = flatten(RelayInfo.json(Identity.defaults(), Limits.defaults(), false));
        assertFalse(doc.containsKey("limitation.created_at_lower_limit"));
        assertTrue(doc.containsKey("limitation.created_at_upper_limit"));
        assertFalse(doc.containsKey("limitation.max_event_rate"));
        assertEquals(false, doc.get("limitation.restricted_writes"));
    }

    @Test
    void nip11ListsNip77AndItsLimitsOnlyWhileNegentropyIsOn() {
        NegentropyConfig on = new NegentropyConfig(true, 3, 400, 8192, java.time.Duration.ofSeconds(9), 10, java.time.Duration.ZERO);
        Map<String, Object> doc = flatten(RelayInfo.json(Identity.defaults(), "", Limits.defaults(), false, false, 0, on));
        assertTrue(((List<?>) doc.get("supported_nips")).contains(77L));
        assertEquals(3L, doc.get("limitation.negentropy_max_sessions"));
        assertEquals(400L, doc.get("limitation.negentropy_max_items"));
        assertEquals(8192L, doc.get("limitation.negentropy_frame_size_limit"));
        assertEquals(9L, doc.get("limitation.negentropy_idle_timeout"));
        Map<String, Object> off = flatten(RelayInfo.json(Identity.defaults(), "", Limits.defaults(), false, false, 0,
                on.withEnabled(false)));
        assertFalse(((List<?>) off.get("supported_nips")).contains(77L));
        assertFalse(off.containsKey("limitation.negentropy_max_items"));
    }

    /** Parses the document with Jackson into dotted keys (arrays of numbers as lists). */
    private static Map<String, Object> flatten(String json) {
        Map<String, Object> out = new HashMap<>();
        try (JsonParser p = Json.parser(json)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            read(p, "", out);
            assertEquals(null, p.nextToken(), "nothing after the document");
        }
        return out;
    }

    private static void read(JsonParser p, String prefix, Map<String, Object> out) {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            String key = prefix + p.currentName();
            t = p.nextToken();
            switch (t) {
                case START_OBJECT -> read(p, key + ".", out);
                case START_ARRAY -> {
                    List<Object> list = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        list.add(p.getLongValue());
                    }
                    out.put(key, list);
                }
                case VALUE_STRING -> out.put(key, p.getString());
                case VALUE_NUMBER_INT -> out.put(key, p.getLongValue());
                case VALUE_TRUE, VALUE_FALSE -> out.put(key, t == JsonToken.VALUE_TRUE);
                default -> throw new AssertionError("unexpected " + t);
            }
        }
    }
}
