package nostr.core.nip98;

/**
 * A NIP-98 {@code Authorization} header that does not authorize the request. The message is the
 * reason, fit for the body of the server's 401 reply (e.g. "url tag does not match the request URL").
 */
public final class HttpAuthException extends Exception {
    public HttpAuthException(String reason) {
        super(reason, null, false, false);
    }
}
