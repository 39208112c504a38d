package nostr.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration precedence (flags, environment, file, defaults) and validation messages. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsNeedNoConfiguration() throws Exception {
        RelayConfig c = ConfigLoader.load(Map.of(), Map.of());
        assertEquals("127.0.0.1", c.host());
        assertEquals(7777, c.port());
        assertEquals(Path.of("data"), c.dataDir());
        assertEquals(StoreKind.SQLITE, c.store());
        assertEquals(Limits.defaults(), c.limits());
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws Exception {
        Path file = dir.resolve("relay.properties");
        Files.writeString(file, """
                # a comment
                port = 1111
                host = 127.0.0.2
                max_limit = 77
                name = from file
                query_time_budget_ms = 1234
                """);
        Map<String, String> env = Map.of("PARRHESIA_CONFIG", file.toString(), "PARRHESIA_PORT", "2222",
                "PARRHESIA_MAX_LIMIT", "88", "PARRHESIA_DATA_DIR", "/tmp/env-data");
        RelayConfig c = ConfigLoader.load(Map.of("port", "3333"), env);
        assertEquals(3333, c.port());
        assertEquals("127.0.0.2", c.host());
        assertEquals(88, c.limits().maxLimit());
        assertEquals(88, c.limits().defaultLimit(), "an unset default_limit follows a smaller max_limit");
        assertEquals(Path.of("/tmp/env-data"), c.dataDir());
        assertEquals("from file", c.identity().name());
        assertEquals(Duration.ofMillis(1234), c.tuning().queryTimeBudget());
        assertEquals(Limits.defaults().maxSubscriptions(), c.limits().maxSubscriptions());
    }

    @Test
    void nip43AndIdentityKeysHaveDefaultsAndAreValidated() throws Exception {
        RelayConfig d = ConfigLoader.load(Map.of("data_dir", "/tmp/x", "port", "4444"), Map.of());
        assertEquals("ws://127.0.0.1:4444/", d.publicUrl(4444));
        assertEquals(Path.of("/tmp/x/relay.key"), d.secretKeyPath());
        assertEquals(MembershipSettings.InvitePolicy.MEMBERS, d.membership().invites());
        assertEquals(Duration.ofDays(1), d.membership().inviteTtl());
        RelayConfig c = ConfigLoader.load(Map.of(), Map.of("PARRHESIA_RELAY_URL", "wss://relay.example.com/",
                "PARRHESIA_RELAY_SECRET_KEY_FILE", "/etc/parrhesia/key", "PARRHESIA_MEMBERSHIP_INVITES", "anyone",
                "PARRHESIA_INVITE_TTL_SECONDS", "60"));
        assertEquals("wss://relay.example.com/", c.publicUrl(7777));
        assertEquals(Path.of("/etc/parrhesia/key"), c.secretKeyPath());
        assertEquals(MembershipSettings.InvitePolicy.ANYONE, c.membership().invites());
        assertEquals(Duration.ofSeconds(60), c.membership().inviteTtl());
        ConfigException url = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of(), Map.of("PARRHESIA_RELAY_URL", "https://relay.example.com/")));
        assertTrue(url.getMessage().contains("relay_url") && url.getMessage().contains("PARRHESIA_RELAY_URL"), url.getMessage());
        ConfigException invites = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of(), Map.of("PARRHESIA_MEMBERSHIP_INVITES", "everyone")));
        assertTrue(invites.getMessage().contains("membership_invites"), invites.getMessage());
        ConfigException ttl = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of(), Map.of("PARRHESIA_INVITE_TTL_SECONDS", "0")));
        assertTrue(ttl.getMessage().contains("invite_ttl_seconds"), ttl.getMessage());
    }

    @Test
    void configFlagBeatsTheEnvironmentsConfigFile() throws Exception {
        Path a = dir.resolve("a.properties");
        Path b = dir.resolve("b.properties");
        Files.writeString(a, "port = 1\n");
        Files.writeString(b, "port = 2\n");
        RelayConfig c = ConfigLoader.load(Map.of("config", b.toString()), Map.of("PARRHESIA_CONFIG", a.toString()));
        assertEquals(2, c.port());
    }

    @Test
    void unknownFileKeysAreRefusedByName() throws Exception {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "max_limt = 5\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of("config", file.toString()), Map.of()));
        assertTrue(e.getMessage().contains("max_limt"), e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndWhereTheyCameFrom() {
        ConfigException notNumber = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of(), Map.of("PARRHESIA_MAX_LIMIT", "lots")));
        assertTrue(notNumber.getMessage().contains("max_limit") && notNumber.getMessage().contains("PARRHESIA_MAX_LIMIT"),
                notNumber.getMessage());
        ConfigException negative = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("port", "70000"), Map.of()));
        assertTrue(negative.getMessage().contains("port") && negative.getMessage().contains("--port"), negative.getMessage());
        ConfigException store = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("store", "mysql"), Map.of()));
        assertTrue(store.getMessage().contains("sqlite") && store.getMessage().contains("mysql"), store.getMessage());
        ConfigException noUrl = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("store", "postgres"), Map.of()));
        assertTrue(noUrl.getMessage().contains("postgres_url"), noUrl.getMessage());
        ConfigException missingFile = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("config", dir.resolve("absent").toString()), Map.of()));
        assertTrue(missingFile.getMessage().contains("absent"), missingFile.getMessage());
        ConfigException badPubkey = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of(), Map.of("PARRHESIA_PUBKEY", "npub1xyz")));
        assertTrue(badPubkey.getMessage().contains("pubkey"), badPubkey.getMessage());
        ConfigException subid = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of(), Map.of("PARRHESIA_MAX_SUBID_LENGTH", "65")));
        assertTrue(subid.getMessage().contains("64"), subid.getMessage());
    }

    @Test
    void everyKeyHasAnEnvironmentVariable() throws Exception {
        for (String key : ConfigLoader.KEYS) {
            assertTrue(ConfigLoader.envName(key).matches("PARRHESIA_[A-Z_]+"), key);
        }
        // Every key is read: setting it to garbage through the environment fails on that key.
        for (String key : ConfigLoader.KEYS) {
            if (key.equals("name") || key.equals("description") || key.equals("contact") || key.equals("icon")
                    || key.equals("host") || key.equals("data_dir") || key.equals("postgres_url")) {
                continue;
            }
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(Map.of(), Map.of(ConfigLoader.envName(key), "\u0000bad")), key);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void nip86AdminPubkeysAcceptHexAndNpubAndJobIntervalsAreSeconds() throws Exception {
        nostr.core.keys.PublicKey a = nostr.core.keys.SecretKey.generate().publicKey();
        nostr.core.keys.PublicKey b = nostr.core.keys.SecretKey.generate().publicKey();
        RelayConfig c = ConfigLoader.load(Map.of(), Map.of(
                "PARRHESIA_ADMIN_PUBKEYS", a.hex().toUpperCase(java.util.Locale.ROOT) + ", " + b.npub(),
                "PARRHESIA_EXPIRY_PURGE_INTERVAL_SECONDS", "5",
                "PARRHESIA_VANISH_SCRUB_INTERVAL_SECONDS", "0"));
        assertEquals(java.util.Set.of(a.hex(), b.hex()), c.operations().adminPubkeys());
        assertEquals(Duration.ofSeconds(5), c.operations().expiryPurgeInterval());
        assertEquals(Duration.ZERO, c.operations().vanishScrubInterval());
        assertEquals(Operations.defaults().moderationReloadInterval(), c.operations().moderationReloadInterval());
        assertEquals(java.util.Set.of(), ConfigLoader.load(Map.of(), Map.of()).operations().adminPubkeys());

        ConfigException bad = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of(), Map.of("PARRHESIA_ADMIN_PUBKEYS", a.hex() + ",nope")));
        assertTrue(bad.getMessage().contains("admin_pubkeys") && bad.getMessage().contains("'nope'")
                && bad.getMessage().contains("PARRHESIA_ADMIN_PUBKEYS"), bad.getMessage());
        ConfigException negative = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of(), Map.of("PARRHESIA_EXPIRY_PURGE_INTERVAL_SECONDS", "-1")));
        assertTrue(negative.getMessage().contains("expiry_purge_interval_seconds"), negative.getMessage());
    }

    @Test
    void kindRetentionParsesKindDurationPairsWithUnits() throws Exception {
        RelayConfig c = ConfigLoader.load(Map.of(), Map.of("PARRHESIA_KIND_RETENTION", "445:7d, 9999:90m,1:3600",
                "PARRHESIA_RETENTION_PURGE_INTERVAL_SECONDS", "120"));
        assertEquals(Map.of(445, Duration.ofDays(7), 9999, Duration.ofMinutes(90), 1, Duration.ofHours(1)),
                c.operations().kindRetention());
        assertEquals(Duration.ofSeconds(120), c.operations().retentionPurgeInterval());
        assertEquals(Map.of(), ConfigLoader.load(Map.of(), Map.of()).operations().kindRetention());
        for (String bad : java.util.List.of("445", "445:", "x:1d", "445:7w", "445:0", "70000:1d", "445:1d,445:2d")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(Map.of(), Map.of("PARRHESIA_KIND_RETENTION", bad)), bad);
            assertTrue(e.getMessage().contains("kind_retention") && e.getMessage().contains("PARRHESIA_KIND_RETENTION"),
                    e.getMessage());
        }
    }
}
