package nostr.core.client;

import nostr.core.event.Event;

/**
 * Receives what a subscription yields. Calls for one subscription never overlap; on a single
 * relay they come from its connection's reader thread, so a slow listener slows that connection.
 *
 * <p>Order: stored events, then {@link #onEose()} once, then live events; or {@link #onClosed}
 * or {@link #onFailure} when a relay ends the subscription. A {@link RelayPool} subscription calls
 * {@link #onEose()} once, when every relay has sent EOSE, closed the subscription, failed or timed out.
 */
public interface SubscriptionListener {

    /**
     * An event matching the subscription: its signature checked (unless the client was told not to)
     * and, within a pool subscription, not seen before from another relay.
     *
     * @param relayUrl the relay it came from
     * @param event the event; {@link Event#json()} is its text exactly as received
     */
    void onEvent(String relayUrl, Event event);

    /** The end of stored events (NIP-01 {@code EOSE}); later events are live. Called at most once. */
    default void onEose() {}

    /**
     * The relay ended the subscription with {@code CLOSED}; no more events come from it.
     *
     * @param relayUrl the relay
     * @param reason its message, e.g. {@code "auth-required: we only serve members"}
     */
    default void onClosed(String relayUrl, String reason) {}

    /**
     * The subscription failed on a relay without a CLOSED: the relay could not be reached, the
     * connection was lost for good, or (in a pool) it sent no EOSE in time.
     *
     * @param relayUrl the relay
     * @param error why
     */
    default void onFailure(String relayUrl, RelayException error) {}
}
