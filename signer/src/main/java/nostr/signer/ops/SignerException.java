package nostr.signer.ops;

/**
 * A failure of a signer operation, tagged with the reason that decides how it is reported: the D-Bus
 * layer turns each {@link Reason} into one error name, the NIP-46 bunker into an error string.
 * Messages never contain secret material.
 */
public final class SignerException extends RuntimeException {

    /** Why an operation failed; one per D-Bus error name of the signer API. */
    public enum Reason {
        INTERNAL,
        INVALID_INPUT,
        APPROVAL_DENIED,
        RATE_LIMITED,
        PERMISSION_DENIED,
        SESSION_EXPIRED,
        CRYPTO_FAILED,
        INVALID_KEY,
        SECRET_SERVICE_UNAVAILABLE
    }

    private final Reason reason;

    public SignerException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SignerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static SignerException internal(String message) {
        return new SignerException(Reason.INTERNAL, message);
    }

    public static SignerException invalidInput(String message) {
        return new SignerException(Reason.INVALID_INPUT, message);
    }

    public static SignerException denied(String message) {
        return new SignerException(Reason.APPROVAL_DENIED, message);
    }

    public static SignerException rateLimited(String message) {
        return new SignerException(Reason.RATE_LIMITED, message);
    }

    public static SignerException permissionDenied(String message) {
        return new SignerException(Reason.PERMISSION_DENIED, message);
    }

    public static SignerException locked(String message) {
        return new SignerException(Reason.SESSION_EXPIRED, message);
    }

    public static SignerException cryptoFailed(String message) {
        return new SignerException(Reason.CRYPTO_FAILED, message);
    }

    public static SignerException invalidKey(String message) {
        return new SignerException(Reason.INVALID_KEY, message);
    }

    public static SignerException keyringUnavailable(String message) {
        return new SignerException(Reason.SECRET_SERVICE_UNAVAILABLE, message);
    }
}
