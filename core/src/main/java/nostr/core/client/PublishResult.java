package nostr.core.client;

/**
 * A relay's answer to a published event: its NIP-01 {@code OK} message.
 *
 * @param relayUrl the relay that answered
 * @param eventId the event's id
 * @param accepted true when the relay stored (or already had) the event
 * @param message the relay's message, "" when it sent none
 */
public record PublishResult(String relayUrl, String eventId, boolean accepted, String message) {

    /**
     * The machine-readable prefix of the message as NIP-01 defines them ({@code duplicate},
     * {@code pow}, {@code blocked}, {@code rate-limited}, {@code invalid}, {@code restricted},
     * {@code mute}, {@code error}, {@code auth-required}), or "" when the message has none.
     */
    public String prefix() {
        int c = message.indexOf(':');
        return c > 0 && message.lastIndexOf(' ', c) < 0 ? message.substring(0, c) : "";
    }
}
