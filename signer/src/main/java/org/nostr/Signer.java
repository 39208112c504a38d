package org.nostr;

import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt64;

/**
 * The {@code org.nostr.Signer} D-Bus interface, member for member as the gnostr signer API defines it
 * ({@code signer/org.nostr.Signer.xml}). It lives in package {@code org.nostr} because dbus-java
 * derives D-Bus names from Java names: this interface is {@code org.nostr.Signer}, its nested signal
 * classes are its signals, and each nested exception class is one D-Bus error name
 * ({@code org.nostr.Signer$Error$Internal} travels as {@code org.nostr.Signer.Error.Internal}).
 * Method names are the D-Bus member names, hence upper case.
 */
public interface Signer extends DBusInterface {

    /** Bus name the daemon owns on the session bus. */
    String BUS_NAME = "org.nostr.Signer";
    /** Path of the one exported object. */
    String OBJECT_PATH = "/org/nostr/signer";

    String GetPublicKey();

    String SignEvent(String eventJson, String currentUser, String appId);

    String NIP44Encrypt(String plaintext, String peerPubkey, String currentUser);

    String NIP44Decrypt(String ciphertext, String peerPubkey, String currentUser);

    /** NIP-44 of raw bytes: the plaintext argument is standard base64. */
    String NIP44EncryptB64(String plaintextB64, String peerPubkey, String currentUser);

    /** NIP-44 of raw bytes: the result is standard base64. */
    String NIP44DecryptB64(String ciphertext, String peerPubkey, String currentUser);

    String NIP04Encrypt(String plaintext, String peerPubkey, String currentUser);

    String NIP04Decrypt(String ciphertext, String peerPubkey, String currentUser);

    String DecryptZapEvent(String eventJson, String currentUser);

    String GetRelays();

    StoredKey<Boolean, String> StoreKey(String key, String identity);

    boolean ClearKey(String identity);

    boolean ApproveRequest(String requestId, boolean decision, boolean remember, UInt64 ttlSeconds);

    /**
     * The two out arguments of StoreKey: {@code ok} and {@code npub}. dbus-java needs tuples to be
     * generic to marshal them (see {@code IntrospectionFix} for the introspection side).
     */
    final class StoredKey<A, B> extends Tuple {
        @Position(0)
        public final A ok;
        @Position(1)
        public final B npub;

        public StoredKey(A ok, B npub) {
            this.ok = ok;
            this.npub = npub;
        }
    }

    /** Signal: an operation waits for a user's decision (answer with ApproveRequest). */
    class ApprovalRequested extends DBusSignal {
        public final String appId;
        public final String identity;
        public final String kind;
        public final String preview;
        public final String requestId;

        public ApprovalRequested(String path, String appId, String identity, String kind, String preview,
                                 String requestId) throws DBusException {
            super(path, appId, identity, kind, preview, requestId);
            this.appId = appId;
            this.identity = identity;
            this.kind = kind;
            this.preview = preview;
            this.requestId = requestId;
        }
    }

    /** Signal: a pending request was decided (or timed out, which counts as denied). */
    class ApprovalCompleted extends DBusSignal {
        public final String requestId;
        public final boolean decision;

        public ApprovalCompleted(String path, String requestId, boolean decision) throws DBusException {
            super(path, requestId, decision);
            this.requestId = requestId;
            this.decision = decision;
        }
    }

    /** {@code org.nostr.Signer.InvalidKey}: a private key in neither 64-hex nor nsec form. */
    class InvalidKey extends DBusExecutionException {
        public InvalidKey(String message) {
            super(message);
        }
    }

    /** {@code org.nostr.Signer.SecretServiceUnavailable}: the keyring backend cannot be used. */
    class SecretServiceUnavailable extends DBusExecutionException {
        public SecretServiceUnavailable(String message) {
            super(message);
        }
    }

    /** Namespace of the {@code org.nostr.Signer.Error.*} error names. */
    final class Error {
        private Error() {}

        /** {@code org.nostr.Signer.Error.Internal}: key retrieval or signing failed, or no key. */
        public static class Internal extends DBusExecutionException {
            public Internal(String message) {
                super(message);
            }
        }

        /** {@code org.nostr.Signer.Error.InvalidInput}: bad JSON or parameters. */
        public static class InvalidInput extends DBusExecutionException {
            public InvalidInput(String message) {
                super(message);
            }
        }

        /** {@code org.nostr.Signer.Error.ApprovalDenied}: the user (or the timeout) said no. */
        public static class ApprovalDenied extends DBusExecutionException {
            public ApprovalDenied(String message) {
                super(message);
            }
        }

        /** {@code org.nostr.Signer.Error.RateLimited}: too many requests from this sender. */
        public static class RateLimited extends DBusExecutionException {
            public RateLimited(String message) {
                super(message);
            }
        }

        /** {@code org.nostr.Signer.Error.PermissionDenied}: not allowed (key mutations off, foreign uid). */
        public static class PermissionDenied extends DBusExecutionException {
            public PermissionDenied(String message) {
                super(message);
            }
        }

        /** {@code org.nostr.Signer.Error.SessionExpired}: the key store auto-locked; unlock again. */
        public static class SessionExpired extends DBusExecutionException {
            public SessionExpired(String message) {
                super(message);
            }
        }

        /** {@code org.nostr.Signer.Error.CryptoFailed}: decryption or encryption failed. */
        public static class CryptoFailed extends DBusExecutionException {
            public CryptoFailed(String message) {
                super(message);
            }
        }
    }
}
