package nostr.core.negentropy;

/**
 * A negentropy message that cannot be processed: truncated, malformed (over-long varint, id prefix
 * longer than 32 bytes, unknown mode, descending bounds, an id list longer than the message), not
 * hex, or of a protocol version the initiator cannot speak.
 *
 * <p>The message names the problem and the byte offset where it was found, so a relay can pass it
 * on in a {@code NEG-ERR} (for example {@code "invalid: " + getMessage()}). The engine that threw it
 * keeps no state from the failed message and can process the next one.
 */
public final class NegentropyException extends IllegalArgumentException {
    /** Creates the exception with a reason a peer can act on. */
    public NegentropyException(String reason) {
        super(reason);
    }
}
