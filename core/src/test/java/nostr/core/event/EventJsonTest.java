package nostr.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** NIP-01 event shape: strict parsing, raw text kept, id and signature checks. */
class EventJsonTest {
    static final SecretKey KEY = SecretKey.parse("67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa");

    static Event signed() {
        return new EventTemplate(1700000000, 1, List.of(List.of("t", "nostr")), "hello \"world\"\n").sign(KEY);
    }

    @Test
    void nip01SignedEventParsesBackAndVerifies() throws Exception {
        Event e = signed();
        Event back = Event.parse(e.json());
        assertEquals(e, back);
        back.verify();
        assertTrue(back.isValid());
    }

    @Test
    void nip01RawTextIsKeptExactlyAsReceivedInsideAMessage() throws Exception {
        Event e = signed();
        // Reordered fields, extra spacing and an unknown field: served back exactly like this.
        String raw = "{ \"sig\":\"" + e.sig() + "\", \"kind\": 1 ,\"x-extra\":{\"a\":[1,2]},\"id\":\"" + e.id()
                + "\",\"pubkey\":\"" + e.pubkey() + "\",\"created_at\":1.7e9,\"tags\":[[\"t\",\"nostr\"]],"
                + "\"content\":\"hello \\\"world\\\"\\n\" }";
        String message = "[\"EVENT\",  " + raw + "  ]";
        try (JsonParser p = Json.parser(message)) {
            assertEquals(JsonToken.START_ARRAY, p.nextToken());
            p.nextToken();
            p.nextToken();
            Event parsed = EventJson.read(p, message);
            assertEquals(raw, parsed.json());
            assertEquals(1700000000L, parsed.createdAt());
            assertTrue(parsed.isValid());
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":1,\"kind\":1,\"tags\":[],\"content\":\"\"}|missing field sig",
        "{\"id\":\"AB\",\"pubkey\":\"PK\",\"created_at\":1,\"kind\":1,\"tags\":[],\"content\":\"\",\"sig\":\"SIG\"}|id must be 64 lowercase hex characters",
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":\"1\",\"kind\":1,\"tags\":[],\"content\":\"\",\"sig\":\"SIG\"}|created_at must be a number",
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":1.5,\"kind\":1,\"tags\":[],\"content\":\"\",\"sig\":\"SIG\"}|created_at must be an integer",
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":-1,\"kind\":1,\"tags\":[],\"content\":\"\",\"sig\":\"SIG\"}|created_at is out of range",
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":1e999999999,\"kind\":1,\"tags\":[],\"content\":\"\",\"sig\":\"SIG\"}|created_at is out of range",
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":1,\"kind\":65536,\"tags\":[],\"content\":\"\",\"sig\":\"SIG\"}|kind is out of range",
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":1,\"kind\":1,\"tags\":[[]],\"content\":\"\",\"sig\":\"SIG\"}|tag 0 is empty",
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":1,\"kind\":1,\"tags\":[[\"e\",1]],\"content\":\"\",\"sig\":\"SIG\"}|tag 0 must hold only strings",
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":1,\"kind\":1,\"tags\":{},\"content\":\"\",\"sig\":\"SIG\"}|tags must be an array",
        "{\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":1,\"kind\":1,\"tags\":[],\"content\":null,\"sig\":\"SIG\"}|content must be a string",
        "{\"id\":\"ID\",\"id\":\"ID\",\"pubkey\":\"PK\",\"created_at\":1,\"kind\":1,\"tags\":[],\"content\":\"\",\"sig\":\"SIG\"}|duplicate field id",
        "[1]|event must be a JSON object",
    })
    void nip01MalformedEventsAreRefusedNamingTheField(String template, String reason) {
        Event e = signed();
        String json = template.replace("\"ID\"", "\"" + e.id() + "\"").replace("\"PK\"", "\"" + e.pubkey() + "\"")
                .replace("\"SIG\"", "\"" + e.sig() + "\"");
        InvalidEventException ex = assertThrows(InvalidEventException.class, () -> Event.parse(json));
        assertEquals(reason, ex.getMessage());
    }

    @Test
    void nip01UppercaseHexIsRefused() {
        Event e = signed();
        String json = e.json().replace(e.pubkey(), e.pubkey().toUpperCase());
        assertThrows(InvalidEventException.class, () -> Event.parse(json));
    }

    @Test
    void nip01TamperedContentOrSignatureFailsVerification() throws Exception {
        Event e = signed();
        Event tampered = Event.parse(e.json().replace("hello", "hullo"));
        assertEquals("id does not match the event's contents",
                assertThrows(InvalidEventException.class, tampered::verify).getMessage());
        char last = e.sig().charAt(127);
        String badSig = e.sig().substring(0, 127) + (last == '0' ? '1' : '0');
        Event forged = Event.parse(e.json().replace(e.sig(), badSig));
        assertFalse(forged.hasValidSignature());
    }
}
