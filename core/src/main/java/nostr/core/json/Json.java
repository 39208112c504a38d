package nostr.core.json;

import java.math.BigDecimal;
import java.util.Map;
import nostr.core.Hex;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The house's JSON reading and string-quoting rules, shared by every module.
 *
 * <p>Reading is Jackson 3 streaming. Writing is our own ({@link #write} for trees of plain
 * values): {@link #appendQuoted} escapes exactly as
 * ECMAScript's {@code JSON.stringify} does (quote, backslash, the five named control escapes,
 * other control characters as lowercase <code>&#92;u00xx</code>, lone surrogates as lowercase
 * <code>&#92;udxxx</code>; everything else verbatim), which is what NIP-01's id serialization requires.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** A streaming parser over {@code text}; char offsets in its locations index into {@code text}. */
    public static JsonParser parser(String text) {
        return FACTORY.createParser(ObjectReadContext.empty(), text);
    }

    /** A streaming parser over UTF-8 bytes. */
    public static JsonParser parser(byte[] utf8) {
        return FACTORY.createParser(ObjectReadContext.empty(), utf8);
    }

    /**
     * Compact JSON of a tree of plain values: {@code null}, strings, booleans, numbers (a NaN or
     * infinite {@code double}/{@code float} as {@code null}), maps (keys written with
     * {@code String.valueOf}, in the map's iteration order), iterables, {@code double[]}, and
     * {@code byte[]} as a lowercase hex string. Strings are escaped as {@code JSON.stringify} does.
     *
     * @throws IllegalArgumentException naming the type of any other value
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder(256);
        appendValue(sb, value);
        return sb.toString();
    }

    /** Appends {@code value} as compact JSON; the same values as {@link #write(Object)}. */
    public static void appendValue(StringBuilder sb, Object value) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> appendQuoted(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
            case Float f -> appendValue(sb, f.doubleValue());
            case Number n -> sb.append(n);
            case byte[] b -> appendQuoted(sb, Hex.encode(b));
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    appendQuoted(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    appendValue(sb, e.getValue());
                }
                sb.append('}');
            }
            case Iterable<?> it -> {
                sb.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    appendValue(sb, o);
                }
                sb.append(']');
            }
            case double[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    appendValue(sb, a[i]);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    /** Returns {@code s} as a JSON string literal, quoted. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    /** Appends {@code s} as a JSON string literal with {@code JSON.stringify} escaping. */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        int runStart = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String named = null;
            boolean escape;
            if (c == '"') {
                named = "\\\"";
                escape = true;
            } else if (c == '\\') {
                named = "\\\\";
                escape = true;
            } else if (c < 0x20) {
                named = namedControl(c);
                escape = true;
            } else if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c)
                        ? i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))
                        : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
                escape = !paired;
            } else {
                escape = false;
            }
            if (!escape) {
                continue;
            }
            sb.append(s, runStart, i);
            if (named != null) {
                sb.append(named);
            } else {
                sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
            runStart = i + 1;
        }
        sb.append(s, runStart, n);
        sb.append('"');
    }

    /** {@code \b \t \n \f \r} by name; null for other control characters (written as \\u00xx). */
    static String namedControl(char c) {
        return switch (c) {
            case '\b' -> "\\b";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\f' -> "\\f";
            case '\r' -> "\\r";
            default -> null;
        };
    }

    /**
     * Reads the current number token as an exact integer. Integral values written with a fraction
     * or exponent ({@code 1.7e9}, {@code 12.0}) are accepted, as JavaScript clients produce them.
     *
     * @throws JsonValueException if the token is not a number or not an integer in [min, max]
     */
    public static long readInteger(JsonParser p, String field, long min, long max) {
        JsonToken t = p.currentToken();
        long v;
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new JsonValueException(field + " is out of range");
            }
            v = p.getLongValue();
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal d = p.getDecimalValue();
            // Digits before the point; guards against 1e1000000000 before any exact conversion.
            if (d.signum() != 0 && d.precision() - d.scale() > 19) {
                throw new JsonValueException(field + " is out of range");
            }
            try {
                v = d.longValueExact();
            } catch (ArithmeticException e) {
                throw new JsonValueException(field + " must be an integer");
            }
        } else {
            throw new JsonValueException(field + " must be a number");
        }
        if (v < min || v > max) {
            throw new JsonValueException(field + " is out of range");
        }
        return v;
    }

    /** Reads the current token as a string; anything else is an error naming {@code field}. */
    public static String readString(JsonParser p, String field) {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new JsonValueException(field + " must be a string");
        }
        return p.getString();
    }

    /** Moves to the next token, turning end of input into an error. */
    public static JsonToken next(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new JsonValueException("unexpected end of JSON");
        }
        return t;
    }

    /** True when nothing but whitespace follows the current token. */
    public static boolean atEnd(JsonParser p) {
        try {
            return p.nextToken() == null;
        } catch (JacksonException e) {
            return false;
        }
    }

    /** A short, single-line reason for a Jackson read error, fit for a NOTICE or OK message. */
    public static String describe(JacksonException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "malformed JSON";
        }
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return "malformed JSON: " + (m.length() > 160 ? m.substring(0, 160) : m);
    }
}
