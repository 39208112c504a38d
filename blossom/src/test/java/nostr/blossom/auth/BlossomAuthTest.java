package nostr.blossom.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import nostr.blossom.blob.Sha256;
import nostr.blossom.testing.Tokens;
import nostr.core.event.Event;
import nostr.core.event.EventSigner;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/** BUD-11 token building, encoding and validation (section "Validation", steps 1 to 6). */
class BlossomAuthTest {
    private final SecretKey key = SecretKey.generate();
    private final long now = Instant.now().getEpochSecond();
    private final String sha = Sha256.of("blob".getBytes());

    @Test
    void bud11HeaderIsBase64UrlWithoutPaddingAndVerifies() throws AuthException {
        String h = BlossomAuth.header(EventSigner.of(key), AuthVerb.UPLOAD, List.of(sha), "https://CDN.example.com:8443/x",
                Duration.ofMinutes(5));
        assertTrue(h.startsWith("Nostr "));
        String b64 = h.substring(6);
        assertTrue(b64.matches("[A-Za-z0-9_-]+"), "base64url without padding: " + b64);
        Event e = BlossomAuth.verify(h, AuthVerb.UPLOAD, "cdn.example.com", now);
        assertEquals(BlossomAuth.KIND, e.kind());
        assertEquals(List.of("upload"), e.tagValues("t"));
        assertEquals(List.of(sha), e.tagValues("x"));
        assertEquals(List.of("cdn.example.com"), e.tagValues("server"));
        assertTrue(e.expiration().getAsLong() > now + 200);
        BlossomAuth.requireHash(e, sha, "test");
    }

    @Test
    void bud11StandardBase64AndALowercaseSchemeAreAccepted() throws AuthException {
        Tokens t = Tokens.of(key, "get");
        BlossomAuth.verify(t.standardBase64Header(), AuthVerb.GET, "h", now);
        BlossomAuth.verify("nostr " + t.header().substring(6), AuthVerb.GET, "h", now);
    }

    @Test
    void bud11EachValidationStepRefusesWithItsReason() {
        record Case(String header, AuthVerb verb, String reason) {}
        List<Case> cases = List.of(
                new Case(null, AuthVerb.GET, "missing"),
                new Case("", AuthVerb.GET, "missing"),
                new Case("Basic abc", AuthVerb.GET, "scheme"),
                new Case("Nostr", AuthVerb.GET, "scheme"),
                new Case("Nostr !!!", AuthVerb.GET, "base64"),
                new Case("Nostr " + "x".repeat(BlossomAuth.MAX_HEADER_CHARS), AuthVerb.GET, "too long"),
                new Case(Tokens.of(key, "get").kind(1).header(), AuthVerb.GET, "kind 24242"),
                new Case(Tokens.of(key, "get").createdAt(now + 120).header(), AuthVerb.GET, "future"),
                new Case(Tokens.of(key, "get").expiration(null).header(), AuthVerb.GET, "no expiration"),
                new Case(Tokens.of(key, "get").expiration(now).header(), AuthVerb.GET, "expired"),
                new Case(Tokens.of(key, "list").header(), AuthVerb.GET, "t tag"),
                new Case(Tokens.of(key, "get").server("other.example").header(), AuthVerb.GET, "other servers"),
                new Case(Tokens.of(key, "get").tamperedHeader(), AuthVerb.GET, "id"),
                new Case(Tokens.of(key, "get").badSignatureHeader(), AuthVerb.GET, "signature"));
        for (Case c : cases) {
            AuthException e = assertThrows(AuthException.class, () -> BlossomAuth.verify(c.header(), c.verb(), "mine.example", now),
                    String.valueOf(c.header()));
            assertTrue(e.getMessage().contains(c.reason()), e.getMessage() + " should mention " + c.reason());
        }
    }

    @Test
    void bud11CreatedAtWithinTheClockSkewIsAccepted() throws AuthException {
        BlossomAuth.verify(Tokens.of(key, "get").createdAt(now + BlossomAuth.CREATED_AT_SKEW_SECONDS).header(), AuthVerb.GET, "h", now);
    }

    @Test
    void bud11ServerTagsMatchByDomainInAnyForm() throws AuthException {
        for (String tag : List.of("mine.example", "MINE.example", "https://mine.example/", "mine.example:8080", "http://mine.example:1")) {
            BlossomAuth.verify(Tokens.of(key, "get").server("elsewhere").server(tag).header(), AuthVerb.GET, "mine.example", now);
        }
        assertEquals("::1", BlossomAuth.hostOf("[::1]:80"));
        assertEquals("127.0.0.1", BlossomAuth.hostOf("http://127.0.0.1:7777"));
    }

    @Test
    void bud11XTagsScopeTheTokenToBlobs() {
        Event none = Tokens.of(key, "delete").event();
        assertThrows(AuthException.class, () -> BlossomAuth.requireHash(none, sha, "url"));
        Event other = Tokens.of(key, "delete").x(Sha256.of("b".getBytes())).event();
        AuthException e = assertThrows(AuthException.class, () -> BlossomAuth.requireHash(other, sha, "the URL"));
        assertTrue(e.getMessage().contains(sha) && e.getMessage().contains("the URL"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BlossomAuth.template(AuthVerb.UPLOAD, "", List.of("ABC"), List.of(), now + 10));
    }
}
