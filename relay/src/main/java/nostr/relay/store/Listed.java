package nostr.relay.store;

/** An entry of a moderation list: the value (pubkey, event id, IP) and the operator's reason ("" if none). */
public record Listed(String value, String reason) {}
