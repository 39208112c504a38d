package nostr.relay.subscription;

import java.nio.charset.StandardCharsets;
import nostr.core.json.Json;

/**
 * Wire text of {@code ["EVENT",<sub id>,<event>]} as UTF-8 bytes, built from a per-subscription
 * prefix and the event's raw JSON exactly as it was received (never re-encoded).
 */
public final class EventFrames {
    private static final byte CLOSE_BRACKET = ']';

    private EventFrames() {}

    /** {@code ["EVENT",<quoted sub id>,} in UTF-8: built once per subscription. */
    public static byte[] prefix(String subscriptionId) {
        StringBuilder sb = new StringBuilder(subscriptionId.length() + 12).append("[\"EVENT\",");
        Json.appendQuoted(sb, subscriptionId);
        return sb.append(',').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The whole message: prefix, raw event bytes, closing bracket. */
    public static byte[] frame(byte[] prefix, byte[] rawEvent) {
        byte[] out = new byte[prefix.length + rawEvent.length + 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(rawEvent, 0, out, prefix.length, rawEvent.length);
        out[out.length - 1] = CLOSE_BRACKET;
        return out;
    }

    /** The whole message from the event's raw JSON text. */
    public static byte[] frame(byte[] prefix, String rawEvent) {
        return frame(prefix, rawEvent.getBytes(StandardCharsets.UTF_8));
    }
}
