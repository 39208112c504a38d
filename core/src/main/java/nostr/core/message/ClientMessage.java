package nostr.core.message;

import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.EventJson;
import nostr.core.event.InvalidEventException;
import nostr.core.filter.Filter;
import nostr.core.filter.FilterException;
import nostr.core.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A message from client to relay (NIP-01 EVENT, REQ, CLOSE; NIP-42 AUTH; NIP-45 COUNT;
 * NIP-77 NEG-OPEN, NEG-MSG, NEG-CLOSE). Relays {@link #parse} them; clients {@link #toJson} them.
 */
public sealed interface ClientMessage {

    /** The wire form. */
    String toJson();

    /** {@code ["EVENT", <event>]}; the event's raw text is kept. */
    record EventMsg(Event event) implements ClientMessage {
        @Override
        public String toJson() {
            return "[\"EVENT\"," + event.json() + "]";
        }
    }

    /** {@code ["REQ", <sub id>, <filter>...]}. */
    record Req(String subscriptionId, List<Filter> filters) implements ClientMessage {
        public Req {
            filters = List.copyOf(filters);
        }

        @Override
        public String toJson() {
            return withFilters("REQ", subscriptionId, filters);
        }
    }

    /** {@code ["CLOSE", <sub id>]}. */
    record Close(String subscriptionId) implements ClientMessage {
        @Override
        public String toJson() {
            return "[\"CLOSE\"," + Json.quote(subscriptionId) + "]";
        }
    }

    /** {@code ["AUTH", <signed kind 22242 event>]} (NIP-42). */
    record Auth(Event event) implements ClientMessage {
        @Override
        public String toJson() {
            return "[\"AUTH\"," + event.json() + "]";
        }
    }

    /** {@code ["COUNT", <query id>, <filter>...]} (NIP-45). */
    record Count(String subscriptionId, List<Filter> filters) implements ClientMessage {
        public Count {
            filters = List.copyOf(filters);
        }

        @Override
        public String toJson() {
            return withFilters("COUNT", subscriptionId, filters);
        }
    }

    /** {@code ["NEG-OPEN", <sub id>, <filter>, <initial message hex>]} (NIP-77). */
    record NegOpen(String subscriptionId, Filter filter, String message) implements ClientMessage {
        @Override
        public String toJson() {
            return "[\"NEG-OPEN\"," + Json.quote(subscriptionId) + "," + filter.toJson() + "," + Json.quote(message) + "]";
        }
    }

    /** {@code ["NEG-MSG", <sub id>, <message hex>]} (NIP-77). */
    record NegMsg(String subscriptionId, String message) implements ClientMessage {
        @Override
        public String toJson() {
            return "[\"NEG-MSG\"," + Json.quote(subscriptionId) + "," + Json.quote(message) + "]";
        }
    }

    /** {@code ["NEG-CLOSE", <sub id>]} (NIP-77). */
    record NegClose(String subscriptionId) implements ClientMessage {
        @Override
        public String toJson() {
            return "[\"NEG-CLOSE\"," + Json.quote(subscriptionId) + "]";
        }
    }

    private static String withFilters(String verb, String id, List<Filter> filters) {
        StringBuilder sb = new StringBuilder(64).append("[\"").append(verb).append("\",");
        Json.appendQuoted(sb, id);
        for (Filter f : filters) {
            sb.append(',').append(f.toJson());
        }
        return sb.append(']').toString();
    }

    /**
     * Parses one client message. {@code text} must be the whole frame (raw event text is cut from it).
     *
     * @throws ClientMessageException telling the relay how to answer: NOTICE, OK false or CLOSED
     */
    static ClientMessage parse(String text) throws ClientMessageException {
        try (JsonParser p = Json.parser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw ClientMessageException.notice("message must be a JSON array");
            }
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw ClientMessageException.notice("message must start with a string verb");
            }
            String verb = p.getString();
            ClientMessage m = switch (verb) {
                case "EVENT" -> new EventMsg(readEvent(p, text, "EVENT"));
                case "AUTH" -> new Auth(readEvent(p, text, "AUTH"));
                case "REQ" -> {
                    String id = readSubscriptionId(p, verb);
                    yield new Req(id, readFilters(p, id, verb));
                }
                case "COUNT" -> {
                    String id = readSubscriptionId(p, verb);
                    yield new Count(id, readFilters(p, id, verb));
                }
                case "CLOSE" -> new Close(readSubscriptionId(p, verb));
                case "NEG-OPEN" -> {
                    String id = readSubscriptionId(p, verb);
                    if (Json.next(p) != JsonToken.START_OBJECT) {
                        throw ClientMessageException.negErr(id, "invalid: NEG-OPEN needs a filter object");
                    }
                    Filter f;
                    try {
                        f = Filter.read(p);
                    } catch (FilterException e) {
                        throw ClientMessageException.negErr(id, "invalid: " + e.getMessage());
                    }
                    yield new NegOpen(id, f, readNegMessage(p, id, verb));
                }
                case "NEG-MSG" -> {
                    String id = readSubscriptionId(p, verb);
                    yield new NegMsg(id, readNegMessage(p, id, verb));
                }
                case "NEG-CLOSE" -> new NegClose(readSubscriptionId(p, verb));
                default -> throw ClientMessageException.notice("unknown message type " + Json.quote(
                        verb.length() > 32 ? verb.substring(0, 32) : verb));
            };
            // REQ and COUNT read their filters up to the closing bracket; the others stop before it.
            boolean closed = p.currentToken() == JsonToken.END_ARRAY || p.nextToken() == JsonToken.END_ARRAY;
            if (!closed || p.nextToken() != null) {
                throw ClientMessageException.notice(verb + " message has unexpected trailing elements");
            }
            return m;
        } catch (JacksonException e) {
            throw ClientMessageException.notice(Json.describe(e));
        }
    }

    private static Event readEvent(JsonParser p, String text, String verb) throws ClientMessageException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw ClientMessageException.notice(verb + " needs an event object");
        }
        try {
            return EventJson.read(p, text);
        } catch (InvalidEventException e) {
            if (e.eventId() != null) {
                throw ClientMessageException.ok(e.eventId(), "invalid: " + e.getMessage());
            }
            throw ClientMessageException.notice("invalid: " + e.getMessage());
        }
    }

    private static String readSubscriptionId(JsonParser p, String verb) throws ClientMessageException {
        if (p.nextToken() != JsonToken.VALUE_STRING) {
            throw ClientMessageException.notice(verb + " needs a subscription id string");
        }
        String id = p.getString();
        if (id.isEmpty()) {
            throw ClientMessageException.notice(verb + " subscription id must not be empty");
        }
        return id;
    }

    private static List<Filter> readFilters(JsonParser p, String id, String verb) throws ClientMessageException {
        List<Filter> filters = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            try {
                filters.add(Filter.read(p));
            } catch (FilterException e) {
                throw ClientMessageException.closed(id, "invalid: " + e.getMessage());
            }
        }
        if (t != JsonToken.END_ARRAY) {
            throw ClientMessageException.closed(id, "invalid: " + verb + " filters must be JSON objects");
        }
        if (filters.isEmpty()) {
            throw ClientMessageException.closed(id, "invalid: " + verb + " needs at least one filter");
        }
        return filters;
    }

    private static String readNegMessage(JsonParser p, String id, String verb) throws ClientMessageException {
        if (p.nextToken() != JsonToken.VALUE_STRING) {
            throw ClientMessageException.negErr(id, "invalid: " + verb + " needs a hex message string");
        }
        return p.getString();
    }
}
