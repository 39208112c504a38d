package nostr.cli;

import java.util.List;
import nostr.core.json.Json;

/** Builds one JSON object for a line of output, fields in the order they are put. */
final class JsonLine {
    private final StringBuilder sb = new StringBuilder(128).append('{');

    private JsonLine key(String name) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        Json.appendQuoted(sb, name);
        sb.append(':');
        return this;
    }

    /** A string field; skipped when {@code value} is null. */
    JsonLine put(String name, String value) {
        if (value != null) {
            key(name);
            Json.appendQuoted(sb, value);
        }
        return this;
    }

    JsonLine put(String name, long value) {
        key(name).sb.append(value);
        return this;
    }

    /** A number field; skipped when {@code value} is null. */
    JsonLine put(String name, Integer value) {
        if (value != null) {
            key(name).sb.append(value.intValue());
        }
        return this;
    }

    JsonLine put(String name, boolean value) {
        key(name).sb.append(value);
        return this;
    }

    JsonLine put(String name, List<String> values) {
        key(name).sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Json.appendQuoted(sb, values.get(i));
        }
        sb.append(']');
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }
}
