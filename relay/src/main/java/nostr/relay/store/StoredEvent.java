package nostr.relay.store;

/**
 * An event as the store hands it back: the indexed fields plus the exact JSON text it was
 * received as (the relay serves {@link #json()} verbatim, never re-encoded).
 */
public record StoredEvent(String id, String pubkey, long createdAt, int kind, String json) {}
