package nostr.signer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** signer.conf and its environment overrides; defaults are the signer API's settings table. */
class SignerConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsFollowTheSettingsTable() throws IOException {
        SignerConfig c = SignerConfigLoader.load(null, null, Map.of("HOME", dir.toString()));
        assertEquals("", c.defaultIdentity());
        assertEquals(Duration.ofSeconds(300), c.lockTimeout());
        assertFalse(c.rememberApprovals());
        assertEquals(Duration.ofHours(24), c.approvalTtl());
        assertEquals(Duration.ofSeconds(30), c.approvalTimeout());
        assertFalse(c.bunkerEnabled());
        assertEquals(List.of(), c.bunkerRelays());
        assertEquals(Set.of(), c.bunkerAllowedPubkeys());
        assertEquals(Set.copyOf(SignerConfig.NIP46_METHODS), c.bunkerAllowedMethods());
        assertEquals(Set.of("1", "6", "7"), c.bunkerAutoApproveKinds());
        assertEquals(Duration.ofSeconds(900), c.clientSessionTimeout());
        assertEquals(Set.of("4", "30023"), c.alwaysConfirmKinds());
        assertEquals(Duration.ofMillis(100), c.signLimit().cooldown());
        assertEquals(5, c.signLimit().maxPerMinute());
        assertEquals(Duration.ofMillis(500), c.keyMutationLimit().cooldown());
        assertEquals(3, c.keyMutationLimit().maxPerMinute());
        assertEquals(Duration.ofMinutes(5), c.keyMutationLimit().lockout());
        assertFalse(c.allowKeyMutations());
        assertEquals(dir.resolve(".config/nostr-signer/signer.conf"), c.configFile());
        assertEquals(dir.resolve(".local/share/nostr-signer"), c.dataDir());
    }

    @Test
    void fileValuesAndEnvironmentOverrides() throws IOException {
        Path f = dir.resolve("signer.conf");
        Files.writeString(f, """
                # comment
                [signer]
                lock-timeout-sec = 60
                bunker-relays = ['wss://a.example', "wss://b.example"]
                bunker-auto-approve-kinds = 1, 007
                remember-approvals = yes
                """);
        SignerConfig c = SignerConfigLoader.load(f, dir.resolve("data"), Map.of(
                "NOSTR_SIGNER_LOCK_TIMEOUT_SEC", "5", "NOSTR_SIGNER_ALLOW_KEY_MUTATIONS", "1",
                "XDG_DATA_HOME", "/ignored"));
        assertEquals(Duration.ofSeconds(5), c.lockTimeout());
        assertEquals(List.of("wss://a.example", "wss://b.example"), c.bunkerRelays());
        assertEquals(Set.of("1", "7"), c.bunkerAutoApproveKinds());
        assertTrue(c.rememberApprovals());
        assertTrue(c.allowKeyMutations());
        assertEquals(dir.resolve("data").resolve("policy.json"), c.policyFile());
    }

    @Test
    void mistakesNameTheKey() throws IOException {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "lock-timeout = 5\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SignerConfigLoader.load(f, dir, Map.of()))
                .getMessage().contains("unknown key lock-timeout"));
        Files.writeString(f, "lock-timeout-sec = soon\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SignerConfigLoader.load(f, dir, Map.of()))
                .getMessage().contains("lock-timeout-sec must be an integer"));
        Files.writeString(f, "bunker-allowed-methods = connect, steal_keys\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SignerConfigLoader.load(f, dir, Map.of()))
                .getMessage().contains("unknown NIP-46 method steal_keys"));
        Files.writeString(f, "auto-approve-kinds = 70000\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SignerConfigLoader.load(f, dir, Map.of()))
                .getMessage().contains("above 65535"));
        assertThrows(IOException.class, () -> SignerConfigLoader.load(dir.resolve("missing.conf"), dir, Map.of()));
        assertEquals("NOSTR_SIGNER_BUNKER_AUTO_APPROVE_KINDS", SignerConfigLoader.envName("bunker-auto-approve-kinds"));
    }
}
