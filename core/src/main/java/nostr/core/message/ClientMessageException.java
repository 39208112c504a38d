package nostr.core.message;

/**
 * A client message the relay refuses, with how NIP-01 says to answer it: a NOTICE for
 * unparseable messages, {@code OK false} when an event id is known, {@code CLOSED} for a
 * subscription, or {@code NEG-ERR} for a negentropy session.
 */
public final class ClientMessageException extends Exception {
    /** Which reply the refusal calls for. */
    public enum Reply { NOTICE, OK, CLOSED, NEG_ERR }

    private final Reply reply;
    private final String target;

    private ClientMessageException(Reply reply, String target, String message) {
        super(message, null, false, false);
        this.reply = reply;
        this.target = target;
    }

    static ClientMessageException notice(String message) {
        return new ClientMessageException(Reply.NOTICE, null, message);
    }

    static ClientMessageException ok(String eventId, String message) {
        return new ClientMessageException(Reply.OK, eventId, message);
    }

    static ClientMessageException closed(String subscriptionId, String message) {
        return new ClientMessageException(Reply.CLOSED, subscriptionId, message);
    }

    static ClientMessageException negErr(String subscriptionId, String message) {
        return new ClientMessageException(Reply.NEG_ERR, subscriptionId, message);
    }

    /** The kind of reply. */
    public Reply reply() {
        return reply;
    }

    /** The event id (for OK) or subscription id (CLOSED, NEG-ERR); null for NOTICE. */
    public String target() {
        return target;
    }

    /** The wire reply, e.g. {@code ["CLOSED","sub","invalid: ..."]}. */
    public String toReply() {
        return switch (reply) {
            case NOTICE -> RelayMessage.notice(getMessage());
            case OK -> RelayMessage.ok(target, false, getMessage());
            case CLOSED -> RelayMessage.closed(target, getMessage());
            case NEG_ERR -> RelayMessage.negErr(target, getMessage());
        };
    }
}
