package nostr.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nostr.core.json.Json;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads JSON into plain Java values for tests (vector files, node script output): objects become
 * {@code Map<String,Object>} (insertion ordered), arrays {@code List<Object>}, strings {@code String},
 * integers {@code Long}, other numbers {@code Double}, booleans and null as themselves.
 */
public final class JsonTree {
    private JsonTree() {}

    /** Parses a complete JSON text. */
    public static Object parse(String json) {
        try (JsonParser p = Json.parser(json)) {
            p.nextToken();
            Object v = read(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing data after JSON value");
            }
            return v;
        }
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String json) {
        return (Map<String, Object>) parse(json);
    }

    /** Follows a path of object keys and array indexes. */
    @SuppressWarnings("unchecked")
    public static <T> T at(Object root, Object... path) {
        Object v = root;
        for (Object step : path) {
            v = step instanceof Integer i ? ((List<Object>) v).get(i) : ((Map<String, Object>) v).get((String) step);
        }
        return (T) v;
    }

    /**
     * Writes plain Java values as compact JSON: maps (string keys), iterables, strings, numbers,
     * booleans, null, and byte arrays as lowercase hex strings.
     */
    public static String write(Object value) {
        return Json.write(value);
    }

    private static Object read(JsonParser p) {
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, read(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p));
                }
                yield l;
            }
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalArgumentException("unexpected JSON token " + t);
        };
    }
}
