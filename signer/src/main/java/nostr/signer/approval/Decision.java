package nostr.signer.approval;

/**
 * A remembered access decision: {@code app} may ({@code allow}) or may not sign/encrypt/decrypt
 * {@code kind} as {@code identity} (an npub, or {@code *} for every identity) until {@code expiresAt}
 * (unix seconds; 0 = forever).
 */
public record Decision(String app, String identity, String kind, boolean allow, long createdAt, long expiresAt) {
    /** Identity wildcard. */
    public static final String ANY_IDENTITY = "*";

    public boolean expired(long nowSeconds) {
        return expiresAt != 0 && expiresAt <= nowSeconds;
    }

    boolean sameKey(Decision o) {
        return app.equals(o.app) && identity.equals(o.identity) && kind.equals(o.kind);
    }
}
