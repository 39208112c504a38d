package nostr.bench.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nostr.relay.Relay;
import nostr.relay.config.ClusterConfig;
import nostr.relay.config.RelayConfig;
import nostr.relay.config.StoreKind;
import nostr.relay.store.Storage;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench cluster} at tiny scale against two real parrhesia nodes in this JVM (one embedded
 * PostgreSQL, one real nats-server): NIP-01 live delivery across nodes, every note to every
 * subscriber of every node exactly once, the counts adding up in both phases.
 */
class ClusterBenchSmokeTest {
    @TempDir
    static Path dir;
    static EmbeddedPostgres pg;
    static Process nats;
    static final List<Relay> relays = new ArrayList<>();
    static final List<Storage> storages = new ArrayList<>();
    static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @BeforeAll
    static void startCluster() throws Exception {
        pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        int natsPort = startNats();
        String jdbc = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
        for (String id : List.of("bench-a", "bench-b")) {
            Storage s = PostgresStorage.open(PostgresOptions.of(jdbc, "postgres", ""));
            storages.add(s);
            RelayConfig d = RelayConfig.defaults();
            ClusterConfig c = ClusterConfig.defaults().withNatsUrl("nats://127.0.0.1:" + natsPort).withNodeId(id)
                    .withPollInterval(Duration.ofMillis(200));
            relays.add(Relay.start(new RelayConfig("127.0.0.1", 0, dir.resolve(id), StoreKind.POSTGRES, jdbc, d.identity(),
                    d.limits(), d.tuning(), d.operations(), d.blossom(), "", "", d.membership(), d.policy(), c), s));
        }
    }

    /** nats-server (Debian's package) on a free loopback port; returns the port. */
    private static int startNats() throws Exception {
        Path conf = dir.resolve("nats.conf");
        Files.writeString(conf, "listen: 127.0.0.1:-1\n");
        nats = new ProcessBuilder("nats-server", "-c", conf.toString()).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            Pattern p = Pattern.compile("Listening for client connections on [^:]+:(\\d+)");
            try (BufferedReader r = new BufferedReader(new InputStreamReader(nats.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = p.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                // exited
            }
            port.completeExceptionally(new IllegalStateException("nats-server exited"));
        });
        return port.get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        relays.forEach(Relay::close);
        storages.forEach(Storage::close);
        if (nats != null) {
            nats.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (pg != null) {
            pg.close();
        }
    }

    private ClusterCommand command(String... args) {
        ClusterCommand cmd = new ClusterCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void bothPhasesDeliverEveryNoteToEverySubscriberOfEveryNodeOnce() throws Exception {
        ClusterCommand cmd = command("--url", relays.get(0).url(), "--url", relays.get(1).url(), "--subscribers", "3",
                "--latency-events", "100", "--latency-rate", "400", "--throughput-events", "400", "--publishers", "2",
                "--window", "16", "--timeout", "60");
        List<URI> nodes = cmd.nodes();
        for (ClusterScenario.Phase p : cmd.phases()) {
            ResultLine r = ClusterScenario.run(nodes, 3, p, 7, Duration.ofSeconds(60), LOG);
            assertEquals(true, r.get("complete"), p.name() + ": " + r);
            long events = ((Number) r.get("events")).longValue();
            assertEquals(events * 2 * 3, ((Number) r.get("deliveries")).longValue());
            assertTrue(r.get("latency_other_nodes_ms") instanceof Map<?, ?> m && ((Number) m.get("count")).longValue() > 0,
                    r.toString());
        }
    }

    @Test
    void optionsNeedTwoLoopbackNodesAndAKnownPhase() {
        ClusterCommand one = command("--url", "ws://127.0.0.1:1");
        assertTrue(assertThrowsParameter(one::nodes).contains("at least twice"));
        ClusterCommand far = command("--url", "ws://127.0.0.1:1", "--url", "ws://192.0.2.1:2");
        assertTrue(assertThrowsParameter(far::nodes).contains("loopback"));
        ClusterCommand badPhase = command("--url", "ws://127.0.0.1:1", "--url", "ws://127.0.0.1:2", "--phase", "both");
        assertTrue(assertThrowsParameter(badPhase::phases).contains("--phase must be latency, throughput or all"));
    }

    private static String assertThrowsParameter(Runnable r) {
        CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(CommandLine.ParameterException.class,
                r::run);
        return e.getMessage();
    }
}
