package nostr.core.event;

/** The NIP-01 storage class of an event kind. */
public enum KindClass {
    /** Stored, every version. */
    REGULAR,
    /** Newest per (pubkey, kind) kept: kinds 0, 3 and 10000-19999. */
    REPLACEABLE,
    /** Not stored, only fanned out: kinds 20000-29999. */
    EPHEMERAL,
    /** Newest per (pubkey, kind, d tag) kept: kinds 30000-39999. */
    ADDRESSABLE;

    /**
     * The class of {@code kind} per NIP-01. Kinds NIP-01 leaves unassigned (45-999, 40000+) are regular.
     */
    public static KindClass of(int kind) {
        if (kind == 0 || kind == 3 || (kind >= 10000 && kind < 20000)) {
            return REPLACEABLE;
        }
        if (kind >= 20000 && kind < 30000) {
            return EPHEMERAL;
        }
        if (kind >= 30000 && kind < 40000) {
            return ADDRESSABLE;
        }
        return REGULAR;
    }
}
