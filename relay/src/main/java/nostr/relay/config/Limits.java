package nostr.relay.config;

/**
 * What the relay accepts from clients. Each value is enforced by the connection or the ingest
 * policy and advertised in the NIP-11 {@code limitation} object, so clients can know the rules
 * before they break them.
 *
 * @param maxMessageLength bytes of one WebSocket text message (UTF-8), NIP-11 {@code max_message_length}
 * @param maxSubscriptions open subscriptions per connection
 * @param maxFilters filters in one REQ
 * @param maxLimit each filter's {@code limit} is clamped to this
 * @param defaultLimit the limit of a filter that names none
 * @param maxSubidLength characters of a subscription id
 * @param maxEventTags entries of an event's {@code tags}
 * @param maxContentLength unicode characters of an event's {@code content}
 * @param maxReqEvents events one REQ's stored phase returns at most, all filters together
 * @param createdAtLowerLimit seconds in the past an event's created_at may lie; 0 for no bound
 * @param createdAtUpperLimit seconds in the future an event's created_at may lie; 0 for no bound
 * @param eventRate EVENT messages per second one connection may send (token bucket); 0 for no limit
 * @param eventBurst the bucket's size: events a connection may send at once after a quiet spell
 */
public record Limits(int maxMessageLength, int maxSubscriptions, int maxFilters, int maxLimit, int defaultLimit,
                     int maxSubidLength, int maxEventTags, int maxContentLength, int maxReqEvents,
                     long createdAtLowerLimit, long createdAtUpperLimit, int eventRate, int eventBurst) {

    public Limits {
        positive("max_message_length", maxMessageLength);
        positive("max_subscriptions", maxSubscriptions);
        positive("max_filters", maxFilters);
        positive("max_limit", maxLimit);
        positive("max_subid_length", maxSubidLength);
        positive("max_event_tags", maxEventTags);
        positive("max_content_length", maxContentLength);
        positive("max_req_events", maxReqEvents);
        notNegative("default_limit", defaultLimit);
        notNegative("created_at_lower_limit", createdAtLowerLimit);
        notNegative("created_at_upper_limit", createdAtUpperLimit);
        notNegative("event_rate", eventRate);
        notNegative("event_burst", eventBurst);
        if (defaultLimit > maxLimit) {
            throw new IllegalArgumentException("default_limit (" + defaultLimit + ") must not exceed max_limit (" + maxLimit + ")");
        }
        if (maxSubidLength > 64) {
            throw new IllegalArgumentException("max_subid_length must be at most 64 (NIP-01), got " + maxSubidLength);
        }
    }

    /** The defaults: generous enough for every common client, small enough to bound memory. */
    public static Limits defaults() {
        return new Limits(524_288, 50, 20, 5000, 500, 64, 2000, 102_400, 10_000, 0, 900, 0, 0);
    }

    /** The token bucket's capacity: {@link #eventBurst()}, or twice the rate when that is 0. */
    public int effectiveBurst() {
        return eventBurst > 0 ? eventBurst : Math.max(1, eventRate * 2);
    }

    private static void positive(String key, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
    }

    private static void notNegative(String key, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(key + " must not be negative, got " + v);
        }
    }
}
