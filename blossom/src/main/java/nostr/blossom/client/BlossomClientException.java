package nostr.blossom.client;

import java.io.IOException;

/**
 * A Blossom request that did not succeed: the server refused it ({@link #status()} is its HTTP
 * status and the message carries its {@code X-Reason}), could not be reached ({@code status} -1),
 * or sent bytes whose SHA-256 is not the one asked for ({@code status} -1, {@link #hashMismatch()}).
 */
public final class BlossomClientException extends IOException {
    private final int status;
    private final boolean hashMismatch;

    BlossomClientException(String message, int status, boolean hashMismatch, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.hashMismatch = hashMismatch;
    }

    static BlossomClientException refused(String what, int status, String reason) {
        return new BlossomClientException(what + ": HTTP " + status + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"),
                status, false, null);
    }

    static BlossomClientException unreachable(String what, Throwable cause) {
        return new BlossomClientException(what + ": " + cause.getMessage(), -1, false, cause);
    }

    static BlossomClientException mismatch(String what, String expected, String actual) {
        return new BlossomClientException(what + ": expected SHA-256 " + expected + " but received bytes hashing to " + actual,
                -1, true, null);
    }

    /** The HTTP status the server answered, or -1 when there was none (network failure, bad bytes). */
    public int status() {
        return status;
    }

    /** True when the server sent bytes that do not hash to the requested blob. */
    public boolean hashMismatch() {
        return hashMismatch;
    }
}
