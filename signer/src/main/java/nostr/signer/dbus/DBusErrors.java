package nostr.signer.dbus;

import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.nostr.Signer;

import nostr.signer.ops.SignerException;

/** Maps each {@link SignerException.Reason} to its D-Bus error class (and so its error name). */
public final class DBusErrors {
    private DBusErrors() {}

    public static DBusExecutionException of(SignerException e) {
        String m = e.getMessage();
        return switch (e.reason()) {
            case INTERNAL -> new Signer.Error.Internal(m);
            case INVALID_INPUT -> new Signer.Error.InvalidInput(m);
            case APPROVAL_DENIED -> new Signer.Error.ApprovalDenied(m);
            case RATE_LIMITED -> new Signer.Error.RateLimited(m);
            case PERMISSION_DENIED -> new Signer.Error.PermissionDenied(m);
            case SESSION_EXPIRED -> new Signer.Error.SessionExpired(m);
            case CRYPTO_FAILED -> new Signer.Error.CryptoFailed(m);
            case INVALID_KEY -> new Signer.InvalidKey(m);
            case SECRET_SERVICE_UNAVAILABLE -> new Signer.SecretServiceUnavailable(m);
        };
    }

    /** The D-Bus error name a reason travels as. */
    public static String name(SignerException.Reason reason) {
        return of(new SignerException(reason, "")).getClass().getName().replace('$', '.');
    }
}
