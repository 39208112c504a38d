package nostr.relay.sync;

import java.util.Locale;

/** Which way events travel after the reconciliation. */
public enum Direction {
    /** Fetch what the remote relay has and the local store lacks. */
    DOWN,
    /** Publish what the local store has and the remote relay lacks. */
    UP,
    /** Both. */
    BOTH;

    public boolean down() {
        return this != UP;
    }

    public boolean up() {
        return this != DOWN;
    }

    /** Parses {@code down}, {@code up} or {@code both}. */
    public static Direction parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "down" -> DOWN;
            case "up" -> UP;
            case "both" -> BOTH;
            default -> throw new IllegalArgumentException("--direction must be down, up or both, got '" + s + "'");
        };
    }
}
