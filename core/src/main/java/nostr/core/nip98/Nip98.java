package nostr.core.nip98;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.event.EventSigner;
import nostr.core.event.EventTemplate;
import nostr.core.event.InvalidEventException;

/**
 * NIP-98 HTTP auth: a kind 27235 event with {@code u} (the absolute request URL, query included),
 * {@code method} and, for requests with a body, {@code payload} (hex SHA-256 of the body) tags,
 * sent base64-encoded as {@code Authorization: Nostr <base64>}.
 *
 * <p>{@link #verify} runs the NIP's checks in its order (kind, created_at window, URL, method), then
 * the payload hash and last the id and signature, the only expensive step. The method is compared
 * case-insensitively, as nostr-tools does; the URL must match exactly.
 */
public final class Nip98 {
    /** The HTTP auth event kind (after RFC 7235). */
    public static final int KIND = 27235;
    /** The window the NIP suggests, in seconds either side of now. */
    public static final long DEFAULT_WINDOW_SECONDS = 60;
    /** The Authorization scheme name. */
    public static final String SCHEME = "Nostr";
    /** Header values longer than this are refused before decoding. */
    public static final int MAX_HEADER_CHARS = 64 * 1024;

    private Nip98() {}

    /**
     * The unsigned auth event for a request, stamped now.
     *
     * @param body the request body, or null for none: when non-null a {@code payload} tag with its
     *     SHA-256 is added
     * @throws IllegalArgumentException if url or method is blank
     */
    public static EventTemplate template(String url, String method, byte[] body) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("NIP-98 url must not be blank");
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("NIP-98 method must not be blank");
        }
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("u", url));
        tags.add(List.of("method", method));
        if (body != null) {
            tags.add(List.of("payload", sha256Hex(body)));
        }
        return EventTemplate.of(KIND, "", tags);
    }

    /** The {@code Authorization} header value for a signed auth event: {@code "Nostr " + base64(json)}. */
    public static String header(Event authEvent) {
        return SCHEME + " " + Base64.getEncoder().encodeToString(authEvent.json().getBytes(StandardCharsets.UTF_8));
    }

    /** Builds, signs and encodes the auth event for a request in one step. */
    public static String header(EventSigner signer, String url, String method, byte[] body) {
        return header(signer.sign(template(url, method, body)));
    }

    /** {@link #verify(String, String, String, byte[], long, long)} with the default 60-second window. */
    public static Event verify(String authorization, String url, String method, byte[] body, long nowSeconds)
            throws HttpAuthException {
        return verify(authorization, url, method, body, nowSeconds, DEFAULT_WINDOW_SECONDS);
    }

    /**
     * Checks an {@code Authorization} header value against the request it came with.
     *
     * @param body the request body, or null when the server does not check payloads. When non-null:
     *     a {@code payload} tag must equal its SHA-256, and a non-empty body requires the tag
     * @return the verified auth event (its pubkey is the authenticated user)
     * @throws HttpAuthException with the reason: missing or non-Nostr scheme, malformed base64 or
     *     event JSON, wrong kind, created_at outside the window, url or method mismatch, payload
     *     hash mismatch or missing, invalid id or signature
     */
    public static Event verify(String authorization, String url, String method, byte[] body, long nowSeconds,
                               long windowSeconds) throws HttpAuthException {
        Event e = decode(authorization);
        if (e.kind() != KIND) {
            throw new HttpAuthException("auth event must be kind " + KIND + ", got " + e.kind());
        }
        if (Math.abs(e.createdAt() - nowSeconds) > windowSeconds) {
            throw new HttpAuthException("auth event created_at " + e.createdAt() + " is more than " + windowSeconds
                    + " s from the server time " + nowSeconds);
        }
        String u = e.tagValue("u");
        if (u == null) {
            throw new HttpAuthException("auth event has no u tag");
        }
        if (!u.equals(url)) {
            throw new HttpAuthException("u tag does not match the request URL");
        }
        String m = e.tagValue("method");
        if (m == null) {
            throw new HttpAuthException("auth event has no method tag");
        }
        if (!m.toUpperCase(Locale.ROOT).equals(method.toUpperCase(Locale.ROOT))) {
            throw new HttpAuthException("method tag " + m + " does not match the request method " + method);
        }
        if (body != null) {
            String payload = e.tagValue("payload");
            if (payload == null) {
                if (body.length > 0) {
                    throw new HttpAuthException("auth event has no payload tag for a request with a body");
                }
            } else if (!payload.equals(sha256Hex(body))) {
                throw new HttpAuthException("payload tag does not match the SHA-256 of the request body");
            }
        }
        if (!e.hasValidId()) {
            throw new HttpAuthException("auth event id does not match its contents");
        }
        if (!e.hasValidSignature()) {
            throw new HttpAuthException("auth event signature is invalid");
        }
        return e;
    }

    /** Decodes the event of an {@code Authorization} header without checking it. */
    public static Event decode(String authorization) throws HttpAuthException {
        if (authorization == null || authorization.isBlank()) {
            throw new HttpAuthException("missing Authorization header");
        }
        if (authorization.length() > MAX_HEADER_CHARS) {
            throw new HttpAuthException("Authorization header is longer than " + MAX_HEADER_CHARS + " characters");
        }
        String v = authorization.strip();
        int space = v.indexOf(' ');
        if (space < 0 || !v.substring(0, space).equalsIgnoreCase(SCHEME)) {
            throw new HttpAuthException("Authorization header must use the " + SCHEME + " scheme");
        }
        String token = v.substring(space + 1).strip();
        byte[] json;
        try {
            json = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException ex) {
            throw new HttpAuthException("Authorization token is not valid base64: " + ex.getMessage());
        }
        try {
            return Event.parse(new String(json, StandardCharsets.UTF_8));
        } catch (InvalidEventException ex) {
            throw new HttpAuthException("Authorization token is not a valid event: " + ex.getMessage());
        }
    }

    private static String sha256Hex(byte[] body) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
