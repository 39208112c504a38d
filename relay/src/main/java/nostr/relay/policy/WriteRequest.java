package nostr.relay.policy;

import nostr.core.event.Event;

/**
 * One EVENT on its way through the policy: the event, who sent it, and when.
 *
 * @param event the parsed event (not yet verified in the pre-verify stages)
 * @param client the sending connection
 * @param nowSeconds wall-clock time of arrival, unix seconds (created_at bounds, expiry, retention)
 * @param nowNanos the relay clock in nanoseconds (token buckets)
 */
public record WriteRequest(Event event, ClientContext client, long nowSeconds, long nowNanos) {}
