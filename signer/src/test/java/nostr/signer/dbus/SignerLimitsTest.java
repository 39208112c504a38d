package nostr.signer.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nostr.core.keys.SecretKey;
import nostr.core.testing.JsonTree;
import nostr.signer.testing.Await;
import nostr.signer.testing.Gdbus;
import nostr.signer.testing.SignerHarness;

/**
 * The signer API's "Rate Limiting" table with its default values (SignEvent: 100 ms cooldown, 5 per
 * minute, exponential lockout; StoreKey: 500 ms cooldown, 3 per minute, 5 minute lockout), the
 * NOSTR_SIGNER_ALLOW_KEY_MUTATIONS gate, auto-lock after lock-timeout-sec, and the errors for a
 * missing key and a missing keyring. Time is the daemon's test clock, moved by hand.
 */
class SignerLimitsTest {
    @TempDir
    Path dir;

    private static SignerHarness.Options defaults() {
        return SignerHarness.Options.keyring()
                .set("sign-cooldown-ms", "100").set("sign-max-per-minute", "5").set("sign-lockout-max-sec", "300")
                .set("key-mutation-cooldown-ms", "500").set("key-mutation-max-per-minute", "3")
                .set("key-mutation-lockout-sec", "300");
    }

    private static String sign(Gdbus g) {
        Gdbus.Result r = g.call("SignEvent", Gdbus.str("{\"kind\":1,\"content\":\"rl\"}"), Gdbus.str(""), Gdbus.str(""));
        return r.exitCode() == 0 ? "ok" : r.errorName();
    }

    @Test
    void signEventCooldownCapAndExponentialLockout() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, defaults())) {
            h.clock.advance(Duration.ofSeconds(1));
            h.client.signer().StoreKey(SecretKey.generate().toHex(), "rl");
            // Per sender: one dbus-java connection makes all these calls.
            var s = h.client.signer();
            String json = "{\"kind\":1,\"content\":\"rl\"}";
            s.SignEvent(json, "", "");
            assertEquals("org.nostr.Signer.Error.RateLimited", errorName(() -> s.SignEvent(json, "", "")), "100 ms cooldown");
            for (int i = 0; i < 4; i++) {
                h.clock.advance(Duration.ofMillis(150));
                s.SignEvent(json, "", "");
            }
            h.clock.advance(Duration.ofMillis(150));
            String sixth = errorMessage(() -> s.SignEvent(json, "", ""));
            assertTrue(sixth.contains("more than 5 calls per minute, locked out for 1000 ms"), sixth);
            // Another sender (gdbus) is not affected.
            assertEquals("ok", sign(h.gdbus));
            h.clock.advance(Duration.ofMillis(1001));
            String again = errorMessage(() -> s.SignEvent(json, "", ""));
            assertTrue(again.contains("locked out for 2000 ms"), "the second lockout doubles: " + again);
            h.clock.advance(Duration.ofMillis(2001));
            assertTrue(errorMessage(() -> s.SignEvent(json, "", "")).contains("locked out for 4000 ms"));
            // Once the minute window has passed, calls are admitted again.
            h.clock.advance(Duration.ofSeconds(61));
            assertEquals(128, s.SignEvent(json, "", "").length());
        }
    }

    @Test
    void storeKeyCooldownCapAndFiveMinuteLockout() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, defaults())) {
            var s = h.client.signer();
            s.StoreKey(SecretKey.generate().toHex(), "");
            assertEquals("org.nostr.Signer.Error.RateLimited", errorName(() -> s.StoreKey(SecretKey.generate().toHex(), "")));
            h.clock.advance(Duration.ofMillis(600));
            s.StoreKey(SecretKey.generate().toHex(), "");
            h.clock.advance(Duration.ofMillis(600));
            assertFalse(s.ClearKey("nobody-here"), "ClearKey shares the key-mutation limit");
            h.clock.advance(Duration.ofMillis(600));
            String fourth = errorMessage(() -> s.StoreKey(SecretKey.generate().toHex(), ""));
            assertTrue(fourth.contains("more than 3 calls per minute, locked out for 300000 ms"), fourth);
            h.clock.advance(Duration.ofSeconds(299));
            assertEquals("org.nostr.Signer.Error.RateLimited", errorName(() -> s.StoreKey(SecretKey.generate().toHex(), "")));
            h.clock.advance(Duration.ofSeconds(2));
            assertTrue(s.StoreKey(SecretKey.generate().toHex(), "").ok);
        }
    }

    @Test
    void keyMutationsNeedTheEnvironmentGate() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, defaults().mutations(false))) {
            Gdbus.Result store = h.gdbus.call("StoreKey", Gdbus.str(SecretKey.generate().toHex()), Gdbus.str(""));
            assertEquals("org.nostr.Signer.Error.PermissionDenied", store.errorName());
            assertTrue(store.errorMessage().contains("NOSTR_SIGNER_ALLOW_KEY_MUTATIONS=1"), store.errorMessage());
            assertEquals("org.nostr.Signer.Error.PermissionDenied", h.gdbus.call("ClearKey", Gdbus.str("x")).errorName());
            // With no key stored, GetPublicKey is the seed's Internal error.
            Gdbus.Result pk = h.gdbus.call("GetPublicKey");
            assertEquals("org.nostr.Signer.Error.Internal", pk.errorName());
            assertTrue(pk.errorMessage().contains("no key configured"), pk.errorMessage());
        }
    }

    @Test
    void forcedSecretServiceWithoutKeyringIsSecretServiceUnavailable() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.noKeyring().set("key-store", "secret-service"))) {
            assertEquals("org.nostr.Signer.SecretServiceUnavailable",
                    h.gdbus.call("StoreKey", Gdbus.str(SecretKey.generate().toHex()), Gdbus.str("")).errorName());
            assertEquals("org.nostr.Signer.SecretServiceUnavailable", h.gdbus.call("GetPublicKey").errorName());
        }
    }

    @Test
    void autoLockZeroesKeysAfterTheTimeoutAndReloadsFromTheKeyring() throws Exception {
        try (SignerHarness h = SignerHarness.start(dir, defaults().set("lock-timeout-sec", "5")
                .set("sign-cooldown-ms", "0").set("sign-max-per-minute", "0"))) {
            h.client.signer().StoreKey(SecretKey.generate().toHex(), "lockme");
            h.client.signer().SignEvent("{\"kind\":1,\"content\":\"a\"}", "", "");
            assertEquals(1L, status(h).get("unlocked_keys"));
            h.clock.advance(Duration.ofSeconds(4));
            h.client.signer().SignEvent("{\"kind\":1,\"content\":\"b\"}", "", "");
            h.clock.advance(Duration.ofSeconds(4));
            assertEquals(1L, status(h).get("unlocked_keys"), "use restarts the idle timer");
            h.clock.advance(Duration.ofSeconds(2));
            Await.until("the vault auto-locks", Duration.ofSeconds(10), () -> status(h).get("unlocked_keys").equals(0L));
            assertEquals(128, h.client.signer().SignEvent("{\"kind\":1,\"content\":\"c\"}", "", "").length());
            assertEquals(1L, status(h).get("unlocked_keys"));
            h.gdbus.call("org.nostr.Signer.Control.Lock");
            assertEquals(0L, status(h).get("unlocked_keys"));
        }
    }

    static Map<String, Object> status(SignerHarness h) {
        return JsonTree.object(h.client.control().Status());
    }

    static String errorName(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (org.freedesktop.dbus.exceptions.DBusExecutionException e) {
            return e.getClass().getName().replace('$', '.');
        }
    }

    static String errorMessage(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (org.freedesktop.dbus.exceptions.DBusExecutionException e) {
            return e.getClass().getName().replace('$', '.') + ": " + e.getMessage();
        }
    }

}
