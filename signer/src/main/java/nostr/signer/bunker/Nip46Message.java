package nostr.signer.bunker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nostr.signer.files.JsonData;

/**
 * The JSON-RPC-like payloads inside kind 24133 events: requests {@code {id, method, params}} and
 * responses {@code {id, result, error}}. Params should be strings; a client that sends an object
 * (some send the event to sign unstringified) gets it back as JSON text.
 */
public final class Nip46Message {
    private Nip46Message() {}

    /** A decrypted request. */
    public record Request(String id, String method, List<String> params) {
        /** Parameter {@code i}, or "" when absent. */
        public String param(int i) {
            return i < params.size() ? params.get(i) : "";
        }
    }

    /**
     * Parses a request; the exception message names the problem. When only the id could be read,
     * {@link BadRequest#id()} carries it so the error can still be answered.
     */
    public static Request parseRequest(String json) {
        Map<String, Object> m;
        try {
            m = JsonData.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(null, "request is not a JSON object: " + e.getMessage());
        }
        String id = m.get("id") instanceof String s ? s : null;
        if (id == null || id.isEmpty()) {
            throw new BadRequest(null, "request has no id");
        }
        if (!(m.get("method") instanceof String method) || method.isEmpty()) {
            throw new BadRequest(id, "request has no method");
        }
        List<String> params = new ArrayList<>();
        Object raw = m.get("params");
        if (raw instanceof List<?> l) {
            for (Object o : l) {
                params.add(o instanceof String s ? s : o == null ? "" : JsonData.write(o));
            }
        } else if (raw != null) {
            throw new BadRequest(id, "params must be an array");
        }
        return new Request(id, method, List.copyOf(params));
    }

    /** A request that cannot be served; {@code id} is null when it could not be read. */
    public static final class BadRequest extends RuntimeException {
        private final String id;

        public BadRequest(String id, String message) {
            super(message);
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** {@code {"id":..,"result":..}}. */
    public static String result(String id, String result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("result", result);
        return JsonData.write(m);
    }

    /** {@code {"id":..,"error":..}}: an error answer (no result). */
    public static String error(String id, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("error", error);
        return JsonData.write(m);
    }

    /** The auth challenge: {@code {"id":..,"result":"auth_url","error":<url>}}. */
    public static String authUrl(String id, String url) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("result", "auth_url");
        m.put("error", url);
        return JsonData.write(m);
    }
}
