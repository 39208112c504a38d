package nostr.relay.store;

/** What {@link EventStore#write} did with one event. */
public enum WriteStatus {
    /** Newly committed (and, for replaceable/addressable kinds, older versions removed). */
    STORED,
    /** An event with this id is already stored. */
    DUPLICATE,
    /**
     * A replaceable or addressable event older than the stored version (or equal time and a
     * higher id): acknowledged, not stored, never served (NIP-01).
     */
    SUPERSEDED,
    /** Refused: a NIP-09 deletion request covers it. */
    DELETED,
    /** Refused: its author asked to vanish (NIP-62) after it was created. */
    VANISHED
}
