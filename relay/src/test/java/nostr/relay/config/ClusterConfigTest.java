package nostr.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster mode's keys (relay/README.md "Cluster"): defaults, sources, validation, refusals. */
class ClusterConfigTest {
    @TempDir
    Path dir;

    private static final Map<String, String> POSTGRES = Map.of("store", "postgres",
            "postgres_url", "jdbc:postgresql://127.0.0.1/relay");

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new java.util.HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void clusterModeIsOffByDefault() throws Exception {
        ClusterConfig c = ConfigLoader.load(Map.of(), Map.of()).cluster();
        assertFalse(c.enabled());
        assertEquals("parrhesia", c.clusterName());
        assertEquals(Duration.ofSeconds(1), c.pollInterval());
        assertEquals(Duration.ofHours(1), c.journalRetention());
    }

    @Test
    void natsUrlFromAFlagTheEnvironmentOrTheFileTurnsItOn() throws Exception {
        Path file = dir.resolve("relay.properties");
        Files.writeString(file, """
                nats_url = nats://10.0.0.1:4222
                cluster_name = eu-west
                node_id = relay-1
                cluster_poll_interval_ms = 250
                cluster_journal_retention_seconds = 600
                """);
        ClusterConfig fromFile = ConfigLoader.load(with(POSTGRES, "config", file.toString()), Map.of()).cluster();
        assertTrue(fromFile.enabled());
        assertEquals("nats://10.0.0.1:4222", fromFile.natsUrl());
        assertEquals("eu-west", fromFile.clusterName());
        assertEquals("relay-1", fromFile.resolvedNodeId(7777));
        assertEquals(Duration.ofMillis(250), fromFile.pollInterval());
        assertEquals(Duration.ofMinutes(10), fromFile.journalRetention());
        ClusterConfig fromEnv = ConfigLoader.load(with(POSTGRES, "config", file.toString()),
                Map.of("PARRHESIA_NATS_URL", "nats://10.0.0.2:4222,nats://10.0.0.3:4222")).cluster();
        assertEquals("nats://10.0.0.2:4222,nats://10.0.0.3:4222", fromEnv.natsUrl());
        ClusterConfig fromFlag = ConfigLoader.load(with(POSTGRES, "config", file.toString(), "nats_url", "tls://n.example:4443"),
                Map.of("PARRHESIA_NATS_URL", "nats://10.0.0.2:4222")).cluster();
        assertEquals("tls://n.example:4443", fromFlag.natsUrl());
    }

    @Test
    void clusterModeOnSqliteIsRefusedNamingTheKeyAndWhereItCameFrom() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("nats_url", "nats://127.0.0.1:4222"), Map.of()));
        assertTrue(e.getMessage().contains("nats_url (cluster mode) needs store = postgres"), e.getMessage());
        assertTrue(e.getMessage().contains("(from flag --nats-url)"), e.getMessage());
    }

    @Test
    void aNatsUrlThatIsNotOneIsRefusedWithItsPasswordMasked() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(with(POSTGRES, "nats_url", "http://user:hunter2@127.0.0.1:4222"), Map.of()));
        assertTrue(e.getMessage().contains("nats_url must be nats://host:port"), e.getMessage());
        assertTrue(e.getMessage().contains("http://user:***@127.0.0.1:4222"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.load(with(POSTGRES, "nats_url", "127.0.0.1:4222"), Map.of()));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(with(POSTGRES, "nats_url", "nats://a b:1"), Map.of()));
    }

    @Test
    void clusterNameNodeIdAndIntervalsAreValidated() {
        ConfigException name = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(with(POSTGRES, "cluster_name", "a.b"), Map.of()));
        assertTrue(name.getMessage().contains("cluster_name must be 1 to 64 letters"), name.getMessage());
        ConfigException node = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(with(POSTGRES, "node_id", "has space"), Map.of()));
        assertTrue(node.getMessage().contains("node_id must be"), node.getMessage());
        ConfigException poll = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(with(POSTGRES, "cluster_poll_interval_ms", "5"), Map.of()));
        assertTrue(poll.getMessage().contains("cluster_poll_interval_ms must be 10..60000, got 5"), poll.getMessage());
        ConfigException retention = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(with(POSTGRES, "cluster_journal_retention_seconds", "1"), Map.of()));
        assertTrue(retention.getMessage().contains("cluster_journal_retention_seconds must be at least 10"),
                retention.getMessage());
    }

    @Test
    void theDefaultNodeIdIsTheHostAndPortOrRandomOnPortZero() {
        ClusterConfig c = ClusterConfig.defaults().withNatsUrl("nats://127.0.0.1:4222");
        assertTrue(c.resolvedNodeId(7777).endsWith(":7777"), c.resolvedNodeId(7777));
        assertEquals(c.resolvedNodeId(7777), c.resolvedNodeId(7777), "stable across restarts");
        assertNotEquals(c.resolvedNodeId(0), c.resolvedNodeId(0), "port 0: a new node each start");
        assertTrue(c.resolvedNodeId(0).matches("[A-Za-z0-9._:-]+"), c.resolvedNodeId(0));
    }
}
