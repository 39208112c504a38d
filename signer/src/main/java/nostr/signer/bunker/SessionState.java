package nostr.signer.bunker;

/** Life cycle of a NIP-46 client session (the seed's session states). */
public enum SessionState {
    /** Connect received; waiting for the user's approval. */
    PENDING,
    /** Connected: requests are served. */
    ACTIVE,
    /** Idle longer than {@code client-session-timeout-sec}; the client must connect again. */
    EXPIRED,
    /** Revoked by the user, by logout or by a denied connect. */
    REVOKED
}
