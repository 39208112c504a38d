package nostr.core.message;

import nostr.core.event.Event;
import nostr.core.event.EventJson;
import nostr.core.event.InvalidEventException;
import nostr.core.json.Json;
import nostr.core.json.JsonValueException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A message from relay to client. Clients {@link #parse} them; relays build the wire text with
 * the static helpers ({@link #ok}, {@link #event}, ...), which never re-encode event JSON.
 */
public sealed interface RelayMessage {

    /** {@code ["EVENT", <sub id>, <event>]}. */
    record EventMsg(String subscriptionId, Event event) implements RelayMessage {}

    /** {@code ["OK", <event id>, <accepted>, <message>]}. */
    record Ok(String eventId, boolean accepted, String message) implements RelayMessage {
        /** The machine-readable prefix of the message ("duplicate", "invalid", ...), or "" if none. */
        public String prefix() {
            int c = message.indexOf(':');
            return c > 0 && message.lastIndexOf(' ', c) < 0 ? message.substring(0, c) : "";
        }
    }

    /** {@code ["EOSE", <sub id>]}. */
    record Eose(String subscriptionId) implements RelayMessage {}

    /** {@code ["CLOSED", <sub id>, <message>]}. */
    record Closed(String subscriptionId, String message) implements RelayMessage {}

    /** {@code ["NOTICE", <message>]}. */
    record Notice(String message) implements RelayMessage {}

    /** {@code ["AUTH", <challenge>]} (NIP-42). */
    record Auth(String challenge) implements RelayMessage {}

    /** {@code ["COUNT", <query id>, {"count": n, "approximate"?: b, "hll"?: hex}]} (NIP-45). */
    record Count(String subscriptionId, long count, boolean approximate, String hll) implements RelayMessage {}

    /** {@code ["NEG-MSG", <sub id>, <hex>]} (NIP-77). */
    record NegMsg(String subscriptionId, String message) implements RelayMessage {}

    /** {@code ["NEG-ERR", <sub id>, <reason>]} (NIP-77). */
    record NegErr(String subscriptionId, String reason) implements RelayMessage {}

    /**
     * Parses one relay message.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static RelayMessage parse(String text) {
        try (JsonParser p = Json.parser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("relay message must be an array starting with a verb");
            }
            String verb = p.getString();
            RelayMessage m = switch (verb) {
                case "EVENT" -> {
                    String sub = str(p, "subscription id");
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        throw new IllegalArgumentException("EVENT needs an event object");
                    }
                    try {
                        yield new EventMsg(sub, EventJson.read(p, text));
                    } catch (InvalidEventException e) {
                        throw new IllegalArgumentException("relay sent an invalid event: " + e.getMessage());
                    }
                }
                case "OK" -> {
                    String id = str(p, "event id");
                    JsonToken t = p.nextToken();
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw new IllegalArgumentException("OK needs a boolean");
                    }
                    boolean accepted = t == JsonToken.VALUE_TRUE;
                    yield new Ok(id, accepted, optionalStr(p));
                }
                case "EOSE" -> new Eose(str(p, "subscription id"));
                case "CLOSED" -> {
                    String sub = str(p, "subscription id");
                    yield new Closed(sub, optionalStr(p));
                }
                case "NOTICE" -> new Notice(str(p, "message"));
                case "AUTH" -> new Auth(str(p, "challenge"));
                case "COUNT" -> readCount(p);
                case "NEG-MSG" -> {
                    String sub = str(p, "subscription id");
                    yield new NegMsg(sub, str(p, "message"));
                }
                case "NEG-ERR" -> {
                    String sub = str(p, "subscription id");
                    yield new NegErr(sub, str(p, "reason"));
                }
                default -> throw new IllegalArgumentException("unknown relay message " + verb);
            };
            return m;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(Json.describe(e));
        } catch (JsonValueException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static Count readCount(JsonParser p) {
        String sub = str(p, "query id");
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("COUNT needs a result object");
        }
        long count = -1;
        boolean approximate = false;
        String hll = null;
        while (Json.next(p) != JsonToken.END_OBJECT) {
            String name = p.currentName();
            JsonToken t = Json.next(p);
            switch (name) {
                case "count" -> count = Json.readInteger(p, "count", 0, Long.MAX_VALUE);
                case "approximate" -> approximate = t == JsonToken.VALUE_TRUE;
                case "hll" -> hll = Json.readString(p, "hll");
                default -> p.skipChildren();
            }
        }
        if (count < 0) {
            throw new IllegalArgumentException("COUNT result has no count");
        }
        return new Count(sub, count, approximate, hll);
    }

    private static String str(JsonParser p, String what) {
        if (p.nextToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("expected a string " + what);
        }
        return p.getString();
    }

    private static String optionalStr(JsonParser p) {
        JsonToken t = p.nextToken();
        return t == JsonToken.VALUE_STRING ? p.getString() : "";
    }

    // ---- wire text, for relays -------------------------------------------------------------

    /** {@code ["EVENT",<sub id>,<raw event json>]}; the event text is inserted verbatim. */
    static String event(String subscriptionId, String rawEventJson) {
        StringBuilder sb = new StringBuilder(rawEventJson.length() + subscriptionId.length() + 16);
        sb.append("[\"EVENT\",");
        Json.appendQuoted(sb, subscriptionId);
        return sb.append(',').append(rawEventJson).append(']').toString();
    }

    /** {@code ["OK",<id>,<accepted>,<message>]}. */
    static String ok(String eventId, boolean accepted, String message) {
        StringBuilder sb = new StringBuilder(100 + message.length());
        sb.append("[\"OK\",");
        Json.appendQuoted(sb, eventId);
        sb.append(accepted ? ",true," : ",false,");
        Json.appendQuoted(sb, message);
        return sb.append(']').toString();
    }

    /** {@code ["EOSE",<sub id>]}. */
    static String eose(String subscriptionId) {
        return "[\"EOSE\"," + Json.quote(subscriptionId) + "]";
    }

    /** {@code ["CLOSED",<sub id>,<message>]}. */
    static String closed(String subscriptionId, String message) {
        return "[\"CLOSED\"," + Json.quote(subscriptionId) + "," + Json.quote(message) + "]";
    }

    /** {@code ["NOTICE",<message>]}. */
    static String notice(String message) {
        return "[\"NOTICE\"," + Json.quote(message) + "]";
    }

    /** {@code ["AUTH",<challenge>]}. */
    static String auth(String challenge) {
        return "[\"AUTH\"," + Json.quote(challenge) + "]";
    }

    /** {@code ["COUNT",<id>,{"count":n[,"approximate":true][,"hll":"..."]}]}. */
    static String count(String subscriptionId, long count, boolean approximate, String hll) {
        StringBuilder sb = new StringBuilder(64);
        sb.append("[\"COUNT\",");
        Json.appendQuoted(sb, subscriptionId);
        sb.append(",{\"count\":").append(count);
        if (approximate) {
            sb.append(",\"approximate\":true");
        }
        if (hll != null) {
            sb.append(",\"hll\":");
            Json.appendQuoted(sb, hll);
        }
        return sb.append("}]").toString();
    }

    /** {@code ["NEG-MSG",<sub id>,<hex>]}. */
    static String negMsg(String subscriptionId, String hex) {
        return "[\"NEG-MSG\"," + Json.quote(subscriptionId) + "," + Json.quote(hex) + "]";
    }

    /** {@code ["NEG-ERR",<sub id>,<reason>]}. */
    static String negErr(String subscriptionId, String reason) {
        return "[\"NEG-ERR\"," + Json.quote(subscriptionId) + "," + Json.quote(reason) + "]";
    }
}
