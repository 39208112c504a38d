package nostr.relay.policy;

import nostr.relay.auth.AuthSession;

/**
 * What the policy knows about the client behind one connection: its address (from the socket,
 * or from {@code X-Forwarded-For} behind a trusted proxy), its NIP-42 session, and its own
 * EVENT token bucket ({@code event_rate}, null when off).
 */
public final class ClientContext {
    private final String ip;
    private final AuthSession auth;
    private final TokenBucket eventBucket;

    public ClientContext(String ip, AuthSession auth, TokenBucket eventBucket) {
        this.ip = IpAddresses.normalize(ip);
        this.auth = auth;
        this.eventBucket = eventBucket;
    }

    /** A client with no address, no AUTH and no own bucket (imports, unit tests). */
    public static ClientContext anonymous() {
        return new ClientContext("", new AuthSession(""), null);
    }

    /** The normalized client address, or "" when unknown. */
    public String ip() {
        return ip;
    }

    public AuthSession auth() {
        return auth;
    }

    /** The per-connection EVENT bucket, or null when {@code event_rate} is 0. */
    public TokenBucket eventBucket() {
        return eventBucket;
    }
}
