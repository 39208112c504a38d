package nostr.blossom.server;

/** The blob index (the relay's store) failed; nothing was changed. Answered 503. */
public final class BlobIndexException extends Exception {
    public BlobIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
