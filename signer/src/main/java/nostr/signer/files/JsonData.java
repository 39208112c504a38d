package nostr.signer.files;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nostr.core.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Small JSON documents of the signer (state files, NIP-46 messages, CLI output) as plain Java values:
 * objects are {@link LinkedHashMap}s, arrays {@link ArrayList}s, numbers {@link Long} (or
 * {@link BigDecimal} when fractional), plus String, Boolean and null. Reading is Jackson streaming;
 * writing uses core's {@code JSON.stringify} string escaping.
 */
public final class JsonData {
    private static final int MAX_DEPTH = 64;

    private JsonData() {}

    /** Parses one JSON value; the message of the exception names what is wrong. */
    public static Object parse(String text) {
        try (JsonParser p = Json.parser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IllegalArgumentException("empty JSON");
            }
            Object v = read(p, 0);
            if (!Json.atEnd(p)) {
                throw new IllegalArgumentException("trailing data after JSON value");
            }
            return v;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(Json.describe(e));
        }
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private static Object read(JsonParser p, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nested too deeply");
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (Json.next(p) != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    Json.next(p);
                    m.put(name, read(p, depth + 1));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (Json.next(p) != JsonToken.END_ARRAY) {
                    l.add(read(p, depth + 1));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getString();
            }
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return new BigDecimal(p.getBigIntegerValue());
                }
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDecimalValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalArgumentException("unexpected JSON token " + t);
        }
    }

    /** Compact JSON of a value built from maps, lists, strings, numbers, booleans and null. */
    public static String write(Object value) {
        return Json.write(value);
    }

    /** A string member, or {@code fallback} when absent or null; wrong types are errors. */
    public static String string(Map<String, Object> m, String key, String fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(key + " must be a string");
        }
        return s;
    }

    /** A whole-number member, or {@code fallback} when absent. */
    public static long number(Map<String, Object> m, String key, long fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException(key + " must be an integer");
        }
        return l;
    }

    /** A list-of-strings member, empty when absent. */
    public static List<String> strings(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(key + " must be an array");
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(key + " must hold only strings");
            }
            out.add(s);
        }
        return out;
    }
}
