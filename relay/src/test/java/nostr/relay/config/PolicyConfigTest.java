package nostr.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The access-policy keys: parsing, defaults and the messages bad values get. */
class PolicyConfigTest {

    @Test
    void defaultsAreAnOpenRelayWithRecipientOnlyGiftWraps() throws Exception {
        RelayConfig c = ConfigLoader.load(Map.of(), Map.of());
        PolicyConfig p = c.policy();
        assertEquals("", c.relayUrl());
        assertEquals(PolicyConfig.defaults(), p);
        assertEquals(PolicyConfig.AuthMode.NONE, p.auth().mode());
        assertEquals(PolicyConfig.AccessMode.OPEN, p.accessMode());
        assertEquals(PolicyConfig.GiftWrapReads.RECIPIENT, p.giftWrapReads());
        assertFalse(p.mls().enabled());
        assertFalse(p.plugin().configured());
        assertFalse(p.trustProxy());
    }

    @Test
    void everyPolicyKeyIsRead() throws Exception {
        Map<String, String> env = Map.ofEntries(
                Map.entry("PARRHESIA_RELAY_URL", "wss://relay.example.com/"),
                Map.entry("PARRHESIA_TRUST_PROXY", "true"),
                Map.entry("PARRHESIA_AUTH_REQUIRED", "writes"),
                Map.entry("PARRHESIA_AUTH_REQUIRED_WRITE_KINDS", "4, 1059"),
                Map.entry("PARRHESIA_AUTH_REQUIRED_READ_KINDS", "4"),
                Map.entry("PARRHESIA_AUTH_WINDOW_SECONDS", "120"),
                Map.entry("PARRHESIA_ACCESS_MODE", "members"),
                Map.entry("PARRHESIA_KINDS_ALLOW", "0-10, 30000-39999"),
                Map.entry("PARRHESIA_KINDS_DENY", "7"),
                Map.entry("PARRHESIA_MIN_POW_DIFFICULTY", "12"),
                Map.entry("PARRHESIA_MIN_POW_DIFFICULTY_KINDS", "1:20, 7:0"),
                Map.entry("PARRHESIA_POW_REQUIRE_COMMITMENT", "yes"),
                Map.entry("PARRHESIA_IP_EVENT_RATE", "5"),
                Map.entry("PARRHESIA_IP_EVENT_BURST", "50"),
                Map.entry("PARRHESIA_PUBKEY_EVENT_RATE", "2"),
                Map.entry("PARRHESIA_PUBKEY_EVENT_BURST", "10"),
                Map.entry("PARRHESIA_IP_CONNECTION_RATE", "1"),
                Map.entry("PARRHESIA_IP_CONNECTION_BURST", "20"),
                Map.entry("PARRHESIA_GIFTWRAP_READS", "open"),
                Map.entry("PARRHESIA_MLS_ENABLED", "on"),
                Map.entry("PARRHESIA_MLS_GROUP_EVENT_TTL_SECONDS", "3600"),
                Map.entry("PARRHESIA_WRITE_POLICY_PLUGIN", "/usr/local/bin/policy --strict"),
                Map.entry("PARRHESIA_WRITE_POLICY_PLUGIN_TIMEOUT_MS", "750"),
                Map.entry("PARRHESIA_WRITE_POLICY_PLUGIN_ON_FAILURE", "accept"));
        RelayConfig c = ConfigLoader.load(Map.of(), env);
        PolicyConfig p = c.policy();
        assertEquals("wss://relay.example.com/", c.relayUrl());
        assertTrue(p.trustProxy());
        assertEquals(PolicyConfig.AuthMode.WRITES, p.auth().mode());
        assertTrue(p.auth().writeKinds().contains(1059) && !p.auth().writeKinds().contains(1));
        assertEquals(Set.of(4), p.auth().readKinds().enumerate(10));
        assertEquals(120, p.auth().windowSeconds());
        assertEquals(PolicyConfig.AccessMode.MEMBERS, p.accessMode());
        assertTrue(p.kindsAllow().contains(31000) && p.kindsAllow().contains(0) && !p.kindsAllow().contains(11));
        assertTrue(p.kindsDeny().contains(7));
        assertEquals(12, p.pow().required(4));
        assertEquals(20, p.pow().required(1));
        assertEquals(0, p.pow().required(7));
        assertTrue(p.pow().requireCommitment());
        assertEquals(new PolicyConfig.Rates(5, 50, 2, 10, 1, 20), p.rates());
        assertEquals(PolicyConfig.GiftWrapReads.OPEN, p.giftWrapReads());
        assertEquals(new PolicyConfig.Mls(true, 3600), p.mls());
        assertEquals(new PolicyConfig.Plugin("/usr/local/bin/policy --strict", Duration.ofMillis(750), true), p.plugin());
    }

    @Test
    void badPolicyValuesNameTheirKey() {
        Map<String, String> bad = Map.of(
                "auth_required", "sometimes",
                "access_mode", "vip",
                "kinds_deny", "7-3",
                "min_pow_difficulty", "300",
                "min_pow_difficulty_kinds", "1=20",
                "trust_proxy", "maybe",
                "relay_url", "http://not-a-websocket",
                "giftwrap_reads", "everyone",
                "write_policy_plugin_on_failure", "ignore",
                "auth_required_read_kinds", "0-1000");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            ConfigException x = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(Map.of(), Map.of(ConfigLoader.envName(e.getKey()), e.getValue())), e.getKey());
            assertTrue(x.getMessage().contains(e.getKey()), x.getMessage());
        }
    }

    @Test
    void kindSetsParseListsAndRanges() {
        KindSet k = KindSet.parse("kinds_allow", " 1, 7 ,30000-39999,");
        assertTrue(k.contains(1) && k.contains(7) && k.contains(30000) && k.contains(39999));
        assertFalse(k.contains(2) || k.contains(40000));
        assertEquals("1,7,30000-39999", k.toString());
        assertEquals(k, KindSet.parse("x", k.toString()));
        assertTrue(KindSet.parse("x", "").isEmpty());
        assertEquals(null, KindSet.parse("x", "0-65535").enumerate(256));
        assertThrows(IllegalArgumentException.class, () -> KindSet.parse("x", "70000"));
        assertThrows(IllegalArgumentException.class, () -> KindSet.parse("x", "a-b"));
    }
}
