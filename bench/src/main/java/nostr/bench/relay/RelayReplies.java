package nostr.bench.relay;

import java.nio.charset.StandardCharsets;
import nostr.core.message.RelayMessage;

/**
 * Reads relay messages off the wire without decoding them when the relay writes the compact form
 * (no spaces: {@code ["OK","<id>",true,""]}, {@code ["EVENT","<sub>",{...}]}), which is what
 * parrhesia and most relays send; anything else falls back to core's full parser. The load
 * generator receives hundreds of thousands of messages a second, so the common case must not
 * allocate.
 */
final class RelayReplies {
    /** The verb of a relay message. */
    enum Verb { EVENT, OK, EOSE, CLOSED, NOTICE, OTHER }

    /** An OK: the event id, whether it was accepted, and the message ("" when none). */
    record Ok(String eventId, boolean accepted, String message) {
        /** NIP-01 machine prefix of the message ("duplicate", "invalid", ...), "" when none. */
        String prefix() {
            int c = message.indexOf(':');
            return c > 0 && message.lastIndexOf(' ', c) < 0 ? message.substring(0, c) : "";
        }
    }

    private static final byte[] EVENT = ascii("[\"EVENT\",");
    private static final byte[] OK = ascii("[\"OK\",");
    private static final byte[] EOSE = ascii("[\"EOSE\",");
    private static final byte[] CLOSED = ascii("[\"CLOSED\",");
    private static final byte[] NOTICE = ascii("[\"NOTICE\",");
    private static final byte[] TRUE_EMPTY = ascii("\",true,\"\"]");

    private RelayReplies() {}

    static Verb verb(byte[] b, int len) {
        if (startsWith(b, len, EVENT, 0)) {
            return Verb.EVENT;
        }
        if (startsWith(b, len, OK, 0)) {
            return Verb.OK;
        }
        if (startsWith(b, len, EOSE, 0)) {
            return Verb.EOSE;
        }
        if (startsWith(b, len, CLOSED, 0)) {
            return Verb.CLOSED;
        }
        if (startsWith(b, len, NOTICE, 0)) {
            return Verb.NOTICE;
        }
        return switch (parse(b, len)) {
            case RelayMessage.EventMsg e -> Verb.EVENT;
            case RelayMessage.Ok o -> Verb.OK;
            case RelayMessage.Eose e -> Verb.EOSE;
            case RelayMessage.Closed c -> Verb.CLOSED;
            case RelayMessage.Notice n -> Verb.NOTICE;
            case null, default -> Verb.OTHER;
        };
    }

    /** Reads an OK message; the common accepted-without-message form needs no JSON parser. */
    static Ok ok(byte[] b, int len) {
        // ["OK","<64 hex>",true,""]
        if (len == OK.length + 65 + TRUE_EMPTY.length && startsWith(b, len, OK, 0) && b[OK.length] == '"'
                && startsWith(b, len, TRUE_EMPTY, OK.length + 65)) {
            return new Ok(new String(b, OK.length + 1, 64, StandardCharsets.ISO_8859_1), true, "");
        }
        if (parse(b, len) instanceof RelayMessage.Ok o) {
            return new Ok(o.eventId(), o.accepted(), o.message());
        }
        throw new IllegalArgumentException("not an OK message: " + text(b, len));
    }

    /**
     * Where the event id starts in an EVENT message for subscription {@code subPrefix}
     * ({@code ["EVENT","<sub>",} as bytes) whose event begins with {@code {"id":"}, or -1.
     */
    static int eventIdOffset(byte[] b, int len, byte[] subPrefix) {
        int at = subPrefix.length + 7;
        if (len >= at + 64 && startsWith(b, len, subPrefix, 0) && startsWith(b, len, ID_FIELD, subPrefix.length)) {
            return at;
        }
        return -1;
    }

    private static final byte[] ID_FIELD = ascii("{\"id\":\"");

    /** The subscription id of an EVENT, EOSE or CLOSED message (parsed when not in compact form). */
    static String subscriptionId(byte[] b, int len) {
        int start = indexOf(b, len, (byte) ',', 0);
        if (start > 0 && start + 1 < len && b[start + 1] == '"') {
            int end = indexOf(b, len, (byte) '"', start + 2);
            if (end > 0 && indexOf(b, end, (byte) '\\', start + 2) < 0) {
                return new String(b, start + 2, end - start - 2, StandardCharsets.UTF_8);
            }
        }
        return switch (parse(b, len)) {
            case RelayMessage.EventMsg e -> e.subscriptionId();
            case RelayMessage.Eose e -> e.subscriptionId();
            case RelayMessage.Closed c -> c.subscriptionId();
            case null, default -> null;
        };
    }

    /** The whole message as text (for error messages and CLOSED/NOTICE reasons). */
    static String text(byte[] b, int len) {
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    /** Compact {@code ["<VERB>","<sub>",} prefix of a subscription's messages, as bytes. */
    static byte[] prefix(String verb, String subscriptionId) {
        return ("[\"" + verb + "\",\"" + subscriptionId + "\",").getBytes(StandardCharsets.UTF_8);
    }

    static boolean startsWith(byte[] b, int len, byte[] prefix, int at) {
        if (at + prefix.length > len) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int len, byte x, int from) {
        for (int i = from; i < len; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static RelayMessage parse(byte[] b, int len) {
        try {
            return RelayMessage.parse(text(b, len));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
