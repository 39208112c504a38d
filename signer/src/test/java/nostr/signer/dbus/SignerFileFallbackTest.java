package nostr.signer.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nostr.core.keys.SecretKey;
import nostr.core.testing.JsonTree;
import nostr.core.testing.NostrTools;
import nostr.signer.testing.Await;
import nostr.signer.testing.Gdbus;
import nostr.signer.testing.SignerHarness;

/**
 * The key store without a Secret Service: NIP-49 ncryptsec files (0600 in a 0700 directory) under a
 * passphrase, unlocked over org.nostr.Signer.Control, locked again by Lock and by the auto-lock, with
 * SessionExpired while locked and the brute-force limit on wrong passphrases. nostr-tools decrypts the
 * files we write (NIP-49 interop).
 */
class SignerFileFallbackTest {
    @TempDir
    Path dir;

    static Map<String, Object> status(SignerHarness h) {
        return JsonTree.object(h.client.control().Status());
    }

    static String signName(SignerHarness h) {
        Gdbus.Result r = h.gdbus.call("SignEvent", Gdbus.str("{\"kind\":1,\"content\":\"f\"}"), Gdbus.str(""), Gdbus.str(""));
        return r.exitCode() == 0 ? "ok" : r.errorName();
    }

    @Test
    void withoutAKeyringKeysAreNip49FilesUnlockedByPassphrase() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.noKeyring())) {
            assertEquals("file", status(h).get("backend"));
            assertEquals(true, status(h).get("locked"));
            SecretKey key = SecretKey.generate();
            Gdbus.Result locked = h.gdbus.call("StoreKey", Gdbus.str(key.toNsec()), Gdbus.str("filekey"));
            assertEquals("org.nostr.Signer.Error.SessionExpired", locked.errorName());
            assertTrue(locked.errorMessage().contains("nostr-signer unlock"), locked.errorMessage());

            assertTrue(h.client.control().Unlock("correct horse"));
            assertEquals(List.of(true, key.publicKey().npub()),
                    h.gdbus.call("StoreKey", Gdbus.str(key.toNsec()), Gdbus.str("filekey")).values());
            Path file = h.config.keysDir().resolve("filekey.json");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(h.config.keysDir())));
            String text = Files.readString(file);
            assertFalse(text.contains(key.toHex()) || text.contains(key.toNsec()), "no plaintext key on disk");
            String ncryptsec = (String) JsonTree.object(text).get("ncryptsec");
            assertEquals(key.toHex(), NostrTools.call("nip49Decrypt", "ncryptsec", ncryptsec, "password", "correct horse"));
            assertEquals("ok", signName(h));

            h.gdbus.call("org.nostr.Signer.Control.Lock");
            assertEquals("org.nostr.Signer.Error.SessionExpired", signName(h));
            assertEquals(List.of(key.publicKey().npub()), h.gdbus.call("GetPublicKey").values(), "metadata stays readable");
            assertEquals(List.of(false), h.gdbus.call("org.nostr.Signer.Control.Unlock", Gdbus.str("wrong")).values());
            assertEquals(List.of(true), h.gdbus.call("org.nostr.Signer.Control.Unlock", Gdbus.str("correct horse")).values());
            assertEquals("ok", signName(h));

            // Identities survive a restart; the new daemon starts locked.
            h.restartDaemon();
            assertEquals(List.of(key.publicKey().npub()), h.gdbus.call("GetPublicKey").values());
            assertEquals("org.nostr.Signer.Error.SessionExpired", signName(h));
            assertTrue(h.client.control().Unlock("correct horse"));
            assertEquals("ok", signName(h));
        }
    }

    @Test
    void autoLockForgetsThePassphrase() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.noKeyring().set("lock-timeout-sec", "30"))) {
            assertTrue(h.client.control().Unlock("pw"));
            h.client.signer().StoreKey(SecretKey.generate().toHex(), "");
            assertEquals("ok", signName(h));
            h.clock.advance(Duration.ofSeconds(31));
            Await.until("the file store auto-locks", Duration.ofSeconds(10), () -> status(h).get("locked").equals(true));
            assertEquals("org.nostr.Signer.Error.SessionExpired", signName(h));
        }
    }

    @Test
    void wrongPassphrasesAreRateLimited() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.noKeyring())) {
            assertTrue(h.client.control().Unlock("right"));
            h.client.signer().StoreKey(SecretKey.generate().toHex(), "");
            h.client.control().Lock();
            for (int i = 0; i < 6; i++) {
                assertFalse(h.client.control().Unlock("wrong" + i));
            }
            assertEquals("org.nostr.Signer.Error.RateLimited", SignerLimitsTest.errorName(() -> h.client.control().Unlock("right")));
            h.clock.advance(Duration.ofSeconds(2));
            assertTrue(h.client.control().Unlock("right"));
        }
    }

    @Test
    void passphraseFileUnlocksUnattended() throws Exception {
        Path pass = dir.resolve("passphrase");
        Files.writeString(pass, "from a credential\n");
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.noKeyring()
                .set("passphrase-file", pass.toString()).set("lock-timeout-sec", "10"))) {
            h.client.signer().StoreKey(SecretKey.generate().toHex(), "unattended");
            assertEquals("ok", signName(h));
            h.clock.advance(Duration.ofSeconds(11));
            Await.until("keys are zeroed", Duration.ofSeconds(10), () -> status(h).get("unlocked_keys").equals(0L));
            assertEquals("ok", signName(h), "the passphrase file unlocks again on demand");
            String ncryptsec = (String) JsonTree.object(Files.readString(h.config.keysDir().resolve("unattended.json"))).get("ncryptsec");
            assertTrue(ncryptsec.startsWith("ncryptsec1"));
        }
    }
}
