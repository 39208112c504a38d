package nostr.blossom.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import nostr.blossom.blob.Sha256;
import nostr.core.event.Event;
import nostr.core.event.EventSigner;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;

/**
 * BUD-11 authorization tokens: kind 24242 events with a {@code t} verb, a NIP-40
 * {@code expiration}, optional {@code x} (blob hashes) and {@code server} (domain) scopes, sent
 * as {@code Authorization: Nostr <base64url(json)>}.
 *
 * <p>Clients build them with {@link #header(EventSigner, AuthVerb, Collection, String, Duration)}.
 * Servers call {@link #verify} (the BUD-11 "Validation" list in order: kind, created_at in the
 * past, expiration in the future, {@code t}, {@code server}; then the id and signature, the only
 * expensive step) and, where the endpoint names a blob, {@link #requireHash}. Decoding accepts
 * base64url without padding (what BUD-11 specifies) and standard base64 with padding (what older
 * clients send).
 */
public final class BlossomAuth {
    /** The authorization event kind. */
    public static final int KIND = 24242;
    /** The {@code Authorization} scheme. */
    public static final String SCHEME = "Nostr";
    /** Header values longer than this are refused before decoding. */
    public static final int MAX_HEADER_CHARS = 64 * 1024;
    /** How far in the future {@code created_at} may lie (clock skew) and still count as "in the past". */
    public static final long CREATED_AT_SKEW_SECONDS = 60;

    private BlossomAuth() {}

    /**
     * An unsigned token, stamped now.
     *
     * @param hashes {@code x} tags (blob hashes, lowercase hex), may be empty
     * @param servers {@code server} tags: domain names, or URLs whose host is taken; may be empty
     * @param expiration unix seconds after which the token is void
     */
    public static EventTemplate template(AuthVerb verb, String content, Collection<String> hashes,
                                         Collection<String> servers, long expiration) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("t", verb.tag()));
        tags.add(List.of("expiration", Long.toString(expiration)));
        for (String h : new LinkedHashSet<>(hashes)) {
            if (!Sha256.isHash(h)) {
                throw new IllegalArgumentException("x tag must be a blob hash (64 lowercase hex), got '" + h + "'");
            }
            tags.add(List.of("x", h));
        }
        for (String s : new LinkedHashSet<>(servers)) {
            tags.add(List.of("server", hostOf(s)));
        }
        return EventTemplate.of(KIND, content, tags);
    }

    /**
     * A signed token's header value, {@code "Nostr " + base64url(json)} without padding.
     */
    public static String header(Event token) {
        return SCHEME + " " + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(token.json().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Builds, signs and encodes a token in one step.
     *
     * @param server the server's domain (or URL) for a {@code server} tag, or null for an unscoped token
     * @param ttl how long the token stays valid
     */
    public static String header(EventSigner signer, AuthVerb verb, Collection<String> hashes, String server, Duration ttl) {
        long exp = Instant.now().plus(ttl).getEpochSecond();
        String content = switch (verb) {
            case GET -> "Get blob";
            case UPLOAD -> "Upload blob";
            case LIST -> "List blobs";
            case DELETE -> "Delete blob";
            case MEDIA -> "Upload media";
        };
        return header(signer.sign(template(verb, content, hashes, server == null ? List.of() : List.of(server), exp)));
    }

    /**
     * Decodes an {@code Authorization} header value into the token event (not yet checked).
     *
     * @throws AuthException when the header is empty, not the Nostr scheme, not base64 or not an event
     */
    public static Event decode(String authorization) throws AuthException {
        if (authorization == null || authorization.isBlank()) {
            throw new AuthException("missing Authorization header (a BUD-11 kind 24242 token)");
        }
        if (authorization.length() > MAX_HEADER_CHARS) {
            throw new AuthException("Authorization header is too long");
        }
        String v = authorization.strip();
        int sp = v.indexOf(' ');
        if (sp < 0 || !v.substring(0, sp).equalsIgnoreCase(SCHEME)) {
            throw new AuthException("Authorization scheme must be 'Nostr'");
        }
        String b64 = v.substring(sp + 1).strip();
        byte[] json;
        try {
            // Normalise standard base64 to the URL alphabet; the JDK's URL decoder takes missing padding.
            json = Base64.getUrlDecoder().decode(b64.replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw new AuthException("Authorization token is not valid base64url: " + e.getMessage());
        }
        try {
            return Event.parse(new String(json, StandardCharsets.UTF_8));
        } catch (InvalidEventException e) {
            throw new AuthException("Authorization token is not a valid event: " + e.getMessage());
        }
    }

    /**
     * Decodes and validates a token for an action on this server (BUD-11 "Validation", steps 1 to
     * 5, then the event's id and signature). Blob scoping ({@code x}) is the caller's:
     * {@link #requireHash}.
     *
     * @param serverHost this server's domain name (what {@code server} tags must name)
     * @param nowSeconds the current unix time
     * @return the verified token; its pubkey is the authorized user
     */
    public static Event verify(String authorization, AuthVerb verb, String serverHost, long nowSeconds) throws AuthException {
        Event e = decode(authorization);
        if (e.kind() != KIND) {
            throw new AuthException("authorization event must be kind " + KIND + ", got " + e.kind());
        }
        if (e.createdAt() > nowSeconds + CREATED_AT_SKEW_SECONDS) {
            throw new AuthException("authorization created_at " + e.createdAt() + " is in the future (server time " + nowSeconds + ")");
        }
        if (e.tagValue("expiration") == null) {
            throw new AuthException("authorization has no expiration tag");
        }
        OptionalLong exp = e.expiration();
        if (exp.isEmpty()) {
            throw new AuthException("authorization expiration tag is not a unix timestamp");
        }
        if (exp.getAsLong() <= nowSeconds) {
            throw new AuthException("authorization expired at " + exp.getAsLong() + " (server time " + nowSeconds + ")");
        }
        List<String> verbs = e.tagValues("t");
        if (verbs.isEmpty()) {
            throw new AuthException("authorization has no t tag (expected '" + verb.tag() + "')");
        }
        if (!verbs.contains(verb.tag())) {
            throw new AuthException("authorization t tag is '" + String.join(",", verbs) + "', this endpoint needs '" + verb.tag() + "'");
        }
        List<String> servers = e.tagValues("server");
        if (!servers.isEmpty()) {
            String mine = serverHost.toLowerCase(Locale.ROOT);
            boolean named = false;
            for (String s : servers) {
                named |= hostOf(s).equals(mine);
            }
            if (!named) {
                throw new AuthException("authorization is scoped to other servers (" + String.join(", ", servers)
                        + "), not " + mine);
            }
        }
        if (!e.hasValidId()) {
            throw new AuthException("authorization event id does not match its contents");
        }
        if (!e.hasValidSignature()) {
            throw new AuthException("authorization event signature is invalid");
        }
        return e;
    }

    /** True when the token has an {@code x} tag naming {@code sha256}. */
    public static boolean names(Event token, String sha256) {
        return token.tagValues("x").contains(sha256);
    }

    /**
     * Requires an {@code x} tag naming the blob the endpoint implies (BUD-11 step 6).
     *
     * @param what where the hash came from, for the message (e.g. "X-SHA-256", "the URL")
     */
    public static void requireHash(Event token, String sha256, String what) throws AuthException {
        List<String> xs = token.tagValues("x");
        if (xs.isEmpty()) {
            throw new AuthException("authorization has no x tag; this endpoint needs one naming the blob " + sha256);
        }
        if (!xs.contains(sha256)) {
            throw new AuthException("authorization x tags do not name " + sha256 + " (" + what + ")");
        }
    }

    /**
     * The lowercase host a {@code server} tag or server URL names: the host of a URL, else the
     * value itself without a port.
     */
    public static String hostOf(String server) {
        String s = server.strip().toLowerCase(Locale.ROOT);
        if (s.contains("://")) {
            try {
                String h = URI.create(s).getHost();
                if (h != null) {
                    s = h;
                }
            } catch (IllegalArgumentException ignored) {
                // not a URL after all; compare it as written
            }
        } else if (s.startsWith("[")) {
            int end = s.indexOf(']');
            s = end > 0 ? s.substring(0, end + 1) : s;
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) < 0) {
                s = s.substring(0, colon);
            }
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int slash = s.indexOf('/');
        return slash >= 0 ? s.substring(0, slash) : s;
    }
}
