package nostr.bench.relay;

import java.util.LinkedHashMap;
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
        return Json.write(fields);
    }
}
