package nostr.core.event;

/**
 * An event that is malformed or fails verification. The message is the human part of a NIP-01
 * {@code invalid:} reply, e.g. "id does not match the event's contents".
 */
public final class InvalidEventException extends Exception {
    private final String eventId;

    public InvalidEventException(String reason) {
        this(reason, null);
    }

    /** @param eventId the event's claimed id when it was readable (so a relay can answer OK false), else null */
    public InvalidEventException(String reason, String eventId) {
        super(reason, null, false, false);
        this.eventId = eventId;
    }

    /** The event's claimed id, when it could be read before the problem was found; else null. */
    public String eventId() {
        return eventId;
    }
}
