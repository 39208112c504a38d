package nostr.relay.store.sql;

import java.util.Objects;
import nostr.core.Hex;

/**
 * Argument checks at the store boundary, so both adapters refuse the same bad input with the same
 * message (PostgreSQL text cannot hold NUL; SQLite would store it silently).
 */
public final class Checks {
    private Checks() {}

    static String text(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain NUL characters");
        }
        return value;
    }

    static String nonEmpty(String what, String value) {
        if (text(what, value).isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }

    /** A NIP-01 kind: 0..65535. */
    public static int kind(int kind) {
        if (kind < 0 || kind > 65535) {
            throw new IllegalArgumentException("kind must be between 0 and 65535, got " + kind);
        }
        return kind;
    }

    static String hex64(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!Hex.isLowerHex(value, 64)) {
            throw new IllegalArgumentException(what + " must be 64 lowercase hex characters, got '" + value + "'");
        }
        return value;
    }
}
