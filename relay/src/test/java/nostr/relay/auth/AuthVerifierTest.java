package nostr.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;
import nostr.core.nip42.Nip42;
import org.junit.jupiter.api.Test;

/** NIP-42 "Signed Event Verification" as the relay applies it, and several pubkeys per connection. */
class AuthVerifierTest {
    static final String URL = "wss://relay.example.com/";
    private final AuthVerifier verifier = new AuthVerifier(() -> URL, 600);
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();
    private final long now = System.currentTimeMillis() / 1000;

    private Event auth(SecretKey k, String relay, String challenge, long createdAt) {
        return new EventTemplate(createdAt, Nip42.KIND, List.of(List.of("relay", relay), List.of("challenge", challenge)), "").sign(k);
    }

    @Test
    void nip42ValidAuthAddsThePubkeyAndSeveralPubkeysAccumulate() {
        AuthSession s = AuthSession.withRandomChallenge();
        assertEquals(32, s.challenge().length());
        assertFalse(s.isAuthenticated());
        assertNull(verifier.authenticate(auth(alice, URL, s.challenge(), now), s, now));
        assertNull(verifier.authenticate(auth(bob, "wss://RELAY.example.com", s.challenge(), now), s, now),
                "host case and trailing slash are normalized");
        assertEquals(Set.of(alice.publicKey().hex(), bob.publicKey().hex()), s.pubkeys());
        assertTrue(s.isAuthenticatedAs(bob.publicKey().hex()));
    }

    @Test
    void nip42EachCheckFailsWithItsOwnReason() {
        AuthSession s = new AuthSession("abc");
        assertTrue(verifier.authenticate(auth(alice, URL, "other", now), s, now).contains("challenge"));
        String wrongRelay = verifier.authenticate(auth(alice, "wss://elsewhere.example/", "abc", now), s, now);
        assertTrue(wrongRelay.startsWith("invalid:") && wrongRelay.contains(URL), wrongRelay);
        assertTrue(verifier.authenticate(auth(alice, URL, "abc", now - 601), s, now).contains("created_at"));
        Event wrongKind = new EventTemplate(now, 1, List.of(List.of("relay", URL), List.of("challenge", "abc")), "").sign(alice);
        assertTrue(verifier.authenticate(wrongKind, s, now).contains("22242"));
        Event good = auth(alice, URL, "abc", now);
        Event forged = new Event(good.id(), bob.publicKey().hex(), good.createdAt(), good.kind(), good.tags(), good.content(),
                good.sig(), good.json());
        assertTrue(verifier.authenticate(forged, s, now).startsWith("invalid:"));
        assertFalse(s.isAuthenticated(), "no failed attempt authenticates");
    }

    @Test
    void nip42ConnectionsHoldAtMostMaxPubkeys() {
        AuthSession s = new AuthSession("c");
        for (int i = 0; i < AuthSession.MAX_PUBKEYS; i++) {
            assertNull(verifier.authenticate(auth(SecretKey.generate(), URL, "c", now), s, now));
        }
        assertTrue(verifier.authenticate(auth(alice, URL, "c", now), s, now).startsWith("restricted:"));
        assertEquals(AuthSession.MAX_PUBKEYS, s.pubkeys().size());
    }
}
