package nostr.bench.relay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nostr.core.json.Json;

/**
 * One scenario's results as one line of JSON (keys in insertion order), so runs can be appended
 * to a file and compared later. Values: strings, numbers, booleans, null, nested maps and lists.
 */
public final class ResultLine {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public ResultLine put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    Object get(String key) {
        return fields.get(key);
    }

    Map<String, Object> fields() {
        return fields;
    }

    /** Latency percentiles in milliseconds (3 decimals), or null when nothing was recorded. */
    static Map<String, Object> latencyMillis(LatencyHistogram h) {
        if (h.count() == 0) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.count());
        m.put("p50", millis(h.percentile(50)));
        m.put("p95", millis(h.percentile(95)));
        m.put("p99", millis(h.percentile(99)));
        m.put("max", millis(h.max()));
        m.put("mean", Math.round(h.mean() / 1e3) / 1e3);
        return m;
    }

    static double millis(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(512);
        write(sb, fields);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> Json.appendQuoted(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
            case Float f -> write(sb, f.doubleValue());
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    Json.appendQuoted(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(sb, l.get(i));
                }
                sb.append(']');
            }
            case double[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(sb, a[i]);
                }
                sb.append(']');
            }
            default -> Json.appendQuoted(sb, v.toString());
        }
    }
}
