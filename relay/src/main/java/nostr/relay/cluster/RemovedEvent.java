package nostr.relay.cluster;

/** An event a node's transaction removed (deleted, replaced, vanished, banned, purged), as other nodes hear of it. */
public record RemovedEvent(long createdAt, String id) {}
