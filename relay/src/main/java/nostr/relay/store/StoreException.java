package nostr.relay.store;

/**
 * The backend failed (connection lost, disk full, statement error). Nothing the call was asked to
 * write is committed. The relay answers NIP-01 {@code error:} and keeps serving.
 */
public final class StoreException extends Exception {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
