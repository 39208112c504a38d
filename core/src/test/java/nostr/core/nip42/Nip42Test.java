package nostr.core.nip42;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/** NIP-42 "Signed Event Verification": kind 22242, created_at near now, challenge and relay tags, signature. */
class Nip42Test {
    private static final String RELAY = "wss://relay.example.com/";
    private static final String CHALLENGE = "challengestringhere";
    private final SecretKey key = SecretKey.generate();

    private Event auth(int kind, long createdAt, String relay, String challenge) {
        return new EventTemplate(createdAt, kind, List.of(List.of("relay", relay), List.of("challenge", challenge)), "").sign(key);
    }

    @Test
    void nip42AuthTemplateSignsAndVerifies() throws Exception {
        Event e = Nip42.authTemplate(RELAY, CHALLENGE).sign(key);
        assertEquals(22242, e.kind());
        assertEquals(RELAY, e.tagValue("relay"));
        assertEquals(CHALLENGE, e.tagValue("challenge"));
        Nip42.verify(e, CHALLENGE, "wss://relay.example.com", e.createdAt(), Nip42.DEFAULT_WINDOW_SECONDS);
    }

    @Test
    void nip42RefusesWrongKind() {
        Event e = auth(1, 1000, RELAY, CHALLENGE);
        assertEquals("AUTH event must be kind 22242", reason(() -> Nip42.verify(e, CHALLENGE, RELAY, 1000, 600)));
    }

    @Test
    void nip42RefusesStaleAndFutureCreatedAt() throws Exception {
        Event e = auth(22242, 10_000, RELAY, CHALLENGE);
        assertEquals("AUTH event created_at is too far from the current time",
                reason(() -> Nip42.verify(e, CHALLENGE, RELAY, 10_601, 600)));
        assertEquals("AUTH event created_at is too far from the current time",
                reason(() -> Nip42.verify(e, CHALLENGE, RELAY, 9_399, 600)));
        Nip42.verify(e, CHALLENGE, RELAY, 10_600, 600);
        Nip42.verify(e, CHALLENGE, RELAY, 9_400, 600);
    }

    @Test
    void nip42RefusesWrongOrMissingChallenge() {
        Event e = auth(22242, 1000, RELAY, CHALLENGE);
        assertEquals("AUTH event challenge does not match", reason(() -> Nip42.verify(e, "other", RELAY, 1000, 600)));
        Event none = new EventTemplate(1000, 22242, List.of(List.of("relay", RELAY)), "").sign(key);
        assertEquals("AUTH event challenge does not match", reason(() -> Nip42.verify(none, CHALLENGE, RELAY, 1000, 600)));
    }

    @Test
    void nip42RefusesWrongOrMissingRelay() {
        Event e = auth(22242, 1000, "wss://other.example.com", CHALLENGE);
        assertEquals("AUTH event relay URL does not match this relay", reason(() -> Nip42.verify(e, CHALLENGE, RELAY, 1000, 600)));
        Event none = new EventTemplate(1000, 22242, List.of(List.of("challenge", CHALLENGE)), "").sign(key);
        assertEquals("AUTH event relay URL does not match this relay", reason(() -> Nip42.verify(none, CHALLENGE, RELAY, 1000, 600)));
    }

    @Test
    void nip42RefusesBadSignatureAndBadId() throws Exception {
        Event e = auth(22242, 1000, RELAY, CHALLENGE);
        String sig = e.sig().substring(0, 127) + (e.sig().endsWith("0") ? "1" : "0");
        Event badSig = Event.parse(e.json().replace(e.sig(), sig));
        assertEquals("signature is invalid", reason(() -> Nip42.verify(badSig, CHALLENGE, RELAY, 1000, 600)));
        Event badId = Event.parse(e.json().replace("\"content\":\"\"", "\"content\":\"x\""));
        assertEquals("id does not match the event's contents", reason(() -> Nip42.verify(badId, CHALLENGE, RELAY, 1000, 600)));
        String sigByAnotherKey = nostr.core.Hex.encode(SecretKey.generate().sign(nostr.core.Hex.decode(e.id())));
        Event otherKeySig = Event.parse(e.json().replace(e.sig(), sigByAnotherKey));
        assertEquals("signature is invalid", reason(() -> Nip42.verify(otherKeySig, CHALLENGE, RELAY, 1000, 600)));
    }

    @Test
    void nip42SameRelayNormalizesHostCaseDefaultPortTrailingSlashAndScheme() {
        assertTrue(Nip42.sameRelay("wss://Relay.Example.COM/", "wss://relay.example.com"));
        assertTrue(Nip42.sameRelay("wss://relay.example.com:443", "wss://relay.example.com/"));
        assertTrue(Nip42.sameRelay("ws://relay.example.com:80/", "ws://relay.example.com"));
        assertTrue(Nip42.sameRelay("wss://relay.example.com", "ws://relay.example.com"), "TLS proxy in front of a ws relay");
        assertTrue(Nip42.sameRelay("https://relay.example.com/nostr/", "wss://relay.example.com/nostr"));
        assertTrue(Nip42.sameRelay("  ws://127.0.0.1:7777 ", "ws://127.0.0.1:7777/"));

        assertFalse(Nip42.sameRelay("wss://relay.example.com:444", "wss://relay.example.com"));
        assertFalse(Nip42.sameRelay("ws://127.0.0.1:7777", "ws://127.0.0.1:7778"));
        assertFalse(Nip42.sameRelay("wss://relay.example.com/a", "wss://relay.example.com/b"));
        assertFalse(Nip42.sameRelay("wss://relay.example.com", "wss://relay.example.org"));
        assertFalse(Nip42.sameRelay("ftp://relay.example.com", "ftp://relay.example.com"), "not a relay scheme");
        assertFalse(Nip42.sameRelay("relay.example.com", "relay.example.com"), "no scheme");
        assertFalse(Nip42.sameRelay("wss://", "wss://"), "no host");
        assertFalse(Nip42.sameRelay("wss://bad host", "wss://bad host"), "not a URI");
    }

    private static String reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(InvalidEventException.class, e).getMessage();
    }
}
