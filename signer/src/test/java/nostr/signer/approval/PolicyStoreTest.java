package nostr.signer.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nostr.signer.testing.MutableClock;

/** Remembered decisions per app, identity and kind with TTL, shared through the policy file. */
class PolicyStoreTest {
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.startingNow();

    @Test
    void exactIdentityBeatsWildcardAndNewerBeatsOlder() {
        PolicyStore s = new PolicyStore(dir.resolve("policy.json"), clock);
        s.remember("app", Decision.ANY_IDENTITY, "1", true, Duration.ZERO);
        clock.advance(Duration.ofSeconds(1));
        s.remember("app", "npub1me", "1", false, Duration.ZERO);
        assertFalse(s.lookup("app", "npub1me", "1").orElseThrow().allow());
        assertTrue(s.lookup("app", "npub1other", "1").orElseThrow().allow());
        assertTrue(s.lookup("app", "npub1me", "7").isEmpty());
        assertTrue(s.lookup("other-app", "npub1me", "1").isEmpty());
    }

    @Test
    void decisionsExpireAfterTheirTtl() throws Exception {
        PolicyStore s = new PolicyStore(dir.resolve("policy.json"), clock);
        s.remember("app", "*", "encrypt", true, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(9));
        assertTrue(s.lookup("app", "x", "encrypt").isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(s.lookup("app", "x", "encrypt").isEmpty());
        s.remember("app", "*", "decrypt", true, Duration.ofSeconds(10));
        assertFalse(Files.readString(dir.resolve("policy.json")).contains("\"encrypt\""), "expired decisions are pruned on write");
    }

    @Test
    void anotherWriterIsSeenWithoutRestart() {
        PolicyStore daemon = new PolicyStore(dir.resolve("policy.json"), clock);
        assertTrue(daemon.lookup("cli-app", "x", "1").isEmpty());
        PolicyStore cli = new PolicyStore(dir.resolve("policy.json"), clock);
        cli.remember("cli-app", "*", "1", true, Duration.ZERO);
        assertTrue(daemon.lookup("cli-app", "x", "1").orElseThrow().allow());
        cli.remember("cli-app", "*", "1", false, Duration.ZERO);
        assertFalse(daemon.lookup("cli-app", "x", "1").orElseThrow().allow(), "a replaced decision is re-read");
        assertEquals(1, cli.revoke("cli-app"));
        assertTrue(daemon.lookup("cli-app", "x", "1").isEmpty());
    }

    @Test
    void corruptFileIsAnErrorNamingIt() throws Exception {
        Files.writeString(dir.resolve("policy.json"), "{\"decisions\":[{\"app\":\"a\"}]}");
        PolicyStore s = new PolicyStore(dir.resolve("policy.json"), clock);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> s.lookup("a", "x", "1"));
        assertTrue(e.getMessage().contains("policy.json") && e.getMessage().contains("needs app, kind and allow"), e.getMessage());
        assertEquals("{\"decisions\":[{\"app\":\"a\"}]}", Files.readString(dir.resolve("policy.json")), "left intact");
    }
}
