package nostr.signer.keys;

import java.util.List;

import nostr.core.keys.SecretKey;

/**
 * Where secret keys rest: the Secret Service keyring, or NIP-49 ncryptsec files when no keyring is
 * available. Implementations never log or return secret material except through {@link #load}.
 * Failures are {@link nostr.signer.ops.SignerException}s: SECRET_SERVICE_UNAVAILABLE when the backend
 * cannot be reached, SESSION_EXPIRED when it is locked.
 */
public interface KeyStore {

    /** {@code secret-service} or {@code file}. */
    String backend();

    /** Every stored identity (metadata only), oldest first. */
    List<Identity> identities();

    /** Reads and decrypts the secret key of {@code identity}; the caller destroys it after use. */
    SecretKey load(Identity identity);

    /**
     * Stores {@code key} as {@code keyId}/{@code label}; an identity with the same pubkey is replaced.
     *
     * @return the stored identity
     */
    Identity store(SecretKey key, String keyId, String label);

    /** Removes {@code identity}; false when it was not there. */
    boolean delete(Identity identity);

    /** True when secrets cannot be read until {@link #unlock} (the file store without its passphrase). */
    default boolean isLocked() {
        return false;
    }

    /** Unlocks with a passphrase; false when it is wrong. Stores that need none return true. */
    default boolean unlock(String passphrase) {
        return true;
    }

    /** Forgets whatever unlocks the store (auto-lock). */
    default void lock() {}
}
