package nostr.core.event;

/**
 * An event that is malformed or fails verification. The message is the human part of a NIP-01
 * {@code invalid:} reply, e.g. "id does not match the event's contents".
 */
public final class InvalidEventException extends Exception {
    public InvalidEventException(String reason) {
        super(reason, null, false, false);
    }
}
