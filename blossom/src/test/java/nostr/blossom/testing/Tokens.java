package nostr.blossom.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import nostr.blossom.auth.BlossomAuth;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;

/**
 * BUD-11 tokens for tests, good and deliberately broken: every tag is the test's choice.
 */
public final class Tokens {
    private final SecretKey key;
    private int kind = BlossomAuth.KIND;
    private long createdAt = Instant.now().getEpochSecond() - 5;
    private final List<List<String>> tags = new ArrayList<>();
    private String expiration = Long.toString(Instant.now().getEpochSecond() + 600);

    private Tokens(SecretKey key) {
        this.key = key;
    }

    /** A valid token for {@code verb}, expiring in 10 minutes, signed by {@code key}. */
    public static Tokens of(SecretKey key, String verb) {
        Tokens t = new Tokens(key);
        t.tags.add(List.of("t", verb));
        return t;
    }

    public Tokens x(String sha256) {
        tags.add(List.of("x", sha256));
        return this;
    }

    public Tokens server(String domain) {
        tags.add(List.of("server", domain));
        return this;
    }

    public Tokens kind(int k) {
        kind = k;
        return this;
    }

    public Tokens createdAt(long t) {
        createdAt = t;
        return this;
    }

    /** Expiration as a unix time; null leaves the tag out. */
    public Tokens expiration(Long t) {
        expiration = t == null ? null : Long.toString(t);
        return this;
    }

    public Event event() {
        List<List<String>> all = new ArrayList<>(tags);
        if (expiration != null) {
            all.add(List.of("expiration", expiration));
        }
        return new EventTemplate(createdAt, kind, all, "test token").sign(key);
    }

    /** {@code Nostr <base64url>}, as BUD-11 specifies. */
    public String header() {
        return BlossomAuth.header(event());
    }

    /** {@code Nostr <standard base64 with padding>}, as older clients send. */
    public String standardBase64Header() {
        return "Nostr " + Base64.getEncoder().encodeToString(event().json().getBytes(StandardCharsets.UTF_8));
    }

    /** The token with its signature replaced by another well-formed one. */
    public String badSignatureHeader() {
        Event e = event();
        String other = Tokens.of(SecretKey.generate(), "upload").event().sig();
        return encode(e.json().replace(e.sig(), other));
    }

    /** The token with its content changed after signing (the id no longer matches). */
    public String tamperedHeader() {
        return encode(event().json().replace("\"test token\"", "\"tampered\""));
    }

    private static String encode(String json) {
        return "Nostr " + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
