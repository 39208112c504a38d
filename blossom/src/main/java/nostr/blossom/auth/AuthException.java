package nostr.blossom.auth;

/** A BUD-11 authorization token that is missing or invalid; the message says why (it becomes {@code X-Reason}). */
public final class AuthException extends Exception {
    public AuthException(String message) {
        super(message);
    }
}
