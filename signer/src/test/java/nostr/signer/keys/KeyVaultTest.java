package nostr.signer.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nostr.core.keys.SecretKey;
import nostr.signer.ops.SignerException;
import nostr.signer.testing.MutableClock;

/** Identity selection (npub, hex, key id, label, default) and the auto-lock of the key vault. */
class KeyVaultTest {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.startingNow();

    NcryptsecFileKeyStore store() {
        NcryptsecFileKeyStore s = new NcryptsecFileKeyStore(dir.resolve("keys"), 4, null, clock);
        assertTrue(s.unlock("pw"));
        return s;
    }

    @Test
    void selectorsAndTheDefaultIdentity() {
        KeyVault v = new KeyVault(store(), "", Duration.ZERO, clock);
        SignerException none = assertThrows(SignerException.class, () -> v.resolve(""));
        assertEquals(SignerException.Reason.INTERNAL, none.reason());
        SecretKey a = SecretKey.generate();
        SecretKey b = SecretKey.generate();
        v.store(a, "alice", "Alice");
        clock.advance(Duration.ofSeconds(1));
        v.store(b, "bob", "Bob");
        assertEquals(a.publicKey().hex(), v.resolve("").pubkey(), "the oldest identity is the default");
        assertEquals(b.publicKey().hex(), v.resolve("bob").pubkey());
        assertEquals(b.publicKey().hex(), v.resolve("Bob").pubkey());
        assertEquals(b.publicKey().hex(), v.resolve(b.publicKey().npub()).pubkey());
        assertEquals(b.publicKey().hex(), v.resolve(b.publicKey().hex().toUpperCase()).pubkey());
        assertEquals(SignerException.Reason.INVALID_INPUT, assertThrows(SignerException.class, () -> v.resolve("carol")).reason());
        KeyVault withDefault = new KeyVault(v.store(), b.publicKey().npub(), Duration.ZERO, clock);
        assertEquals(b.publicKey().hex(), withDefault.resolve("").pubkey());
        KeyVault missingDefault = new KeyVault(v.store(), "nobody", Duration.ZERO, clock);
        assertTrue(assertThrows(SignerException.class, () -> missingDefault.resolve("")).getMessage()
                .contains("default-identity 'nobody' is not in the key store"));
    }

    @Test
    void autoLockZeroesKeysOnlyAfterIdleTimeout() {
        KeyVault v = new KeyVault(store(), "", Duration.ofSeconds(60), clock);
        SecretKey a = SecretKey.generate();
        Identity id = v.store(a, "alice", "Alice");
        SecretKey[] held = new SecretKey[1];
        v.withKey(id, k -> held[0] = k);
        assertEquals(1, v.unlockedCount());
        clock.advance(Duration.ofSeconds(59));
        assertFalse(v.lockIfIdle());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(v.lockIfIdle());
        assertTrue(held[0].isDestroyed(), "the cached key's bytes were zeroed");
        assertEquals(0, v.unlockedCount());
        assertTrue(v.store().isLocked(), "the file store forgot its passphrase");
        assertEquals(SignerException.Reason.SESSION_EXPIRED,
                assertThrows(SignerException.class, () -> v.withKey(id, k -> k)).reason());
        KeyVault never = new KeyVault(store(), "", Duration.ZERO, clock);
        never.withKey(never.resolve(""), k -> k);
        clock.advance(Duration.ofDays(365));
        assertFalse(never.lockIfIdle(), "lock-timeout-sec = 0 never locks");
    }
}
