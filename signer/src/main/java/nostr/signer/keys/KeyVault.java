package nostr.signer.keys;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nostr.core.keys.SecretKey;
import nostr.signer.ops.SignerException;

/**
 * The daemon's view of its identities: resolves selectors (npub, hex, key id, label; empty for the
 * default), keeps the secret keys it has loaded from the {@link KeyStore} in memory while they are in
 * use, and locks after {@code lock-timeout-sec} without use: every cached key is destroyed (its bytes
 * zeroed) and the store forgets its passphrase. Key use and locking exclude each other, so a key is
 * never zeroed under a signature in progress.
 */
public final class KeyVault {
    private static final Logger LOG = LoggerFactory.getLogger(KeyVault.class);

    private final KeyStore store;
    private final String defaultIdentity;
    private final Duration lockTimeout;
    private final InstantSource clock;
    private final Map<String, SecretKey> unlocked = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock useLock = new ReentrantReadWriteLock();
    private volatile List<Identity> identities;
    private volatile Instant lastUse;

    /**
     * @param defaultIdentity selector of the default identity ({@code default-identity}); empty picks the oldest
     * @param lockTimeout idle time before locking; zero never locks
     */
    public KeyVault(KeyStore store, String defaultIdentity, Duration lockTimeout, InstantSource clock) {
        this.store = store;
        this.defaultIdentity = defaultIdentity;
        this.lockTimeout = lockTimeout;
        this.clock = clock;
        this.lastUse = clock.instant();
    }

    public KeyStore store() {
        return store;
    }

    /** All identities, oldest first (cached; refreshed after changes and on lock). */
    public List<Identity> identities() {
        List<Identity> ids = identities;
        if (ids == null) {
            ids = List.copyOf(store.identities());
            identities = ids;
        }
        return ids;
    }

    /**
     * The identity a selector names.
     *
     * @throws SignerException INTERNAL when no key is configured, INVALID_INPUT when nothing matches
     */
    public Identity resolve(String selector) {
        String s = selector == null ? "" : selector.strip();
        if (s.isEmpty()) {
            return defaultIdentityOrThrow();
        }
        Optional<Identity> found = find(identities(), s);
        if (found.isEmpty()) {
            identities = null;
            found = find(identities(), s);
        }
        return found.orElseThrow(() -> SignerException.invalidInput("no identity matches '" + s + "'"));
    }

    private Identity defaultIdentityOrThrow() {
        List<Identity> ids = identities();
        if (ids.isEmpty()) {
            identities = null;
            ids = identities();
        }
        if (ids.isEmpty()) {
            throw SignerException.internal("no key configured: store one with StoreKey or `nostr-signer key import`");
        }
        if (!defaultIdentity.isEmpty()) {
            return find(ids, defaultIdentity).orElseThrow(() -> SignerException.internal(
                    "default-identity '" + defaultIdentity + "' is not in the key store"));
        }
        return ids.getFirst();
    }

    private static Optional<Identity> find(List<Identity> ids, String selector) {
        return ids.stream().filter(i -> i.matches(selector)).findFirst();
    }

    /**
     * Runs {@code use} with the secret key of {@code identity}, loading it when it is not in memory.
     * The key must not escape {@code use}.
     */
    public <T> T withKey(Identity identity, Function<SecretKey, T> use) {
        useLock.readLock().lock();
        try {
            lastUse = clock.instant();
            SecretKey key = unlocked.get(identity.pubkey());
            if (key == null) {
                synchronized (unlocked) {
                    key = unlocked.get(identity.pubkey());
                    if (key == null) {
                        key = store.load(identity);
                        unlocked.put(identity.pubkey(), key);
                    }
                }
            }
            return use.apply(key);
        } finally {
            lastUse = clock.instant();
            useLock.readLock().unlock();
        }
    }

    /** Stores a key under {@code keyId}/{@code label} and refreshes the identity list. */
    public Identity store(SecretKey key, String keyId, String label) {
        useLock.writeLock().lock();
        try {
            Identity id = store.store(key, keyId, label);
            SecretKey old = unlocked.remove(id.pubkey());
            if (old != null) {
                old.destroy();
            }
            identities = null;
            return id;
        } finally {
            useLock.writeLock().unlock();
        }
    }

    /** Removes the identity a selector names; false when none matches. */
    public boolean delete(String selector) {
        useLock.writeLock().lock();
        try {
            Identity id;
            try {
                id = resolve(selector);
            } catch (SignerException e) {
                if (e.reason() == SignerException.Reason.INVALID_INPUT) {
                    return false;
                }
                throw e;
            }
            boolean removed = store.delete(id);
            SecretKey old = unlocked.remove(id.pubkey());
            if (old != null) {
                old.destroy();
            }
            identities = null;
            return removed;
        } finally {
            useLock.writeLock().unlock();
        }
    }

    /** Destroys every cached key and locks the store. */
    public void lock() {
        useLock.writeLock().lock();
        try {
            unlocked.values().forEach(SecretKey::destroy);
            unlocked.clear();
            store.lock();
            identities = null;
        } finally {
            useLock.writeLock().unlock();
        }
    }

    /** Unlocks the store with a passphrase (file store); true when it is right. */
    public boolean unlock(String passphrase) {
        boolean ok = store.unlock(passphrase);
        if (ok) {
            lastUse = clock.instant();
            identities = null;
        }
        return ok;
    }

    /** Locks when the vault has been idle for the lock timeout; returns true if it locked now. */
    public boolean lockIfIdle() {
        if (lockTimeout.isZero() || !holdsSecrets()) {
            return false;
        }
        if (clock.instant().isBefore(lastUse.plus(lockTimeout))) {
            return false;
        }
        lock();
        LOG.info("auto-locked after {} s without use", lockTimeout.toSeconds());
        return true;
    }

    /** True while any key is in memory or the store holds its unlock passphrase. */
    public boolean holdsSecrets() {
        return !unlocked.isEmpty() || (store instanceof NcryptsecFileKeyStore f && f.holdsPassphrase());
    }

    /** How many keys are decrypted in memory now. */
    public int unlockedCount() {
        return unlocked.size();
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }
}
