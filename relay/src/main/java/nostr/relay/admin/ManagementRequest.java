package nostr.relay.admin;

import java.util.ArrayList;
import java.util.List;
import nostr.core.json.Json;
import nostr.core.json.JsonValueException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A parsed NIP-86 request body: {@code {"method": "...", "params": [...]}}. Other members (a
 * JSON-RPC {@code id} or {@code jsonrpc}) are ignored; a missing {@code params} is an empty list.
 * Params keep their JSON type so that validation can say "must be a number, got a string".
 *
 * @param method the method name as sent
 * @param params the parameters in order
 */
public record ManagementRequest(String method, List<Value> params) {

    public ManagementRequest {
        params = List.copyOf(params);
    }

    /** One parameter as sent. */
    public sealed interface Value {
        /** A JSON string. */
        record Text(String value) implements Value {}

        /** A JSON number that is an integer. */
        record Integer(long value) implements Value {}

        /** JSON null (an optional parameter left out in the middle). */
        record Null() implements Value {}

        /** Anything else: a fraction, a boolean, an array or an object. */
        record Other(String jsonType) implements Value {}

        /** "a string", "a number", ... for error messages. */
        default String describe() {
            return switch (this) {
                case Text t -> "a string";
                case Integer i -> "a number";
                case Null n -> "null";
                case Other o -> o.jsonType();
            };
        }
    }

    /** Parses a body; the exception's message says what is wrong with it. */
    public static ManagementRequest parse(byte[] body) throws MalformedRequestException {
        String method = null;
        List<Value> params = List.of();
        try (JsonParser p = Json.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedRequestException("the body must be a JSON object {\"method\": ..., \"params\": [...]}");
            }
            while (Json.next(p) != JsonToken.END_OBJECT) {
                String field = p.currentName();
                JsonToken t = Json.next(p);
                switch (field) {
                    case "method" -> {
                        if (t != JsonToken.VALUE_STRING) {
                            throw new MalformedRequestException("method must be a string");
                        }
                        method = p.getString();
                    }
                    case "params" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw new MalformedRequestException("params must be an array");
                        }
                        params = readParams(p);
                    }
                    default -> p.skipChildren();
                }
            }
            if (!Json.atEnd(p)) {
                throw new MalformedRequestException("unexpected data after the JSON object");
            }
        } catch (JacksonException e) {
            throw new MalformedRequestException(Json.describe(e));
        } catch (JsonValueException e) {
            throw new MalformedRequestException(e.getMessage());
        }
        if (method == null) {
            throw new MalformedRequestException("the request has no method");
        }
        return new ManagementRequest(method, params);
    }

    private static List<Value> readParams(JsonParser p) {
        List<Value> out = new ArrayList<>();
        JsonToken t;
        while ((t = Json.next(p)) != JsonToken.END_ARRAY) {
            out.add(switch (t) {
                case VALUE_STRING -> new Value.Text(p.getString());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    try {
                        yield new Value.Integer(Json.readInteger(p, "param", Long.MIN_VALUE, Long.MAX_VALUE));
                    } catch (JsonValueException e) {
                        yield new Value.Other("a fraction or an out-of-range number");
                    }
                }
                case VALUE_NULL -> new Value.Null();
                case VALUE_TRUE, VALUE_FALSE -> new Value.Other("a boolean");
                case START_ARRAY -> {
                    p.skipChildren();
                    yield new Value.Other("an array");
                }
                case START_OBJECT -> {
                    p.skipChildren();
                    yield new Value.Other("an object");
                }
                default -> throw new MalformedRequestException("unexpected " + t + " in params");
            });
        }
        return out;
    }

    /** The body is not a NIP-86 request. */
    public static final class MalformedRequestException extends RuntimeException {
        public MalformedRequestException(String message) {
            super(message, null, false, false);
        }
    }
}
