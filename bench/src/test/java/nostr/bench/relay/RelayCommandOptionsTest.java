package nostr.bench.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import nostr.bench.BenchMain;
import nostr.bench.relay.RelayBenchOptions.Scenario;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench relay} option parsing: defaults, scenario selection, and refusals that name the option. */
class RelayCommandOptionsTest {

    private static RelayBenchOptions parse(String... args) {
        RelayCommand cmd = new RelayCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.options();
    }

    /** Runs {@code bench relay ...} and returns the exit code and stderr. */
    private static String[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 1];
            all[0] = "relay";
            System.arraycopy(args, 0, all, 1, args.length);
            int code = new CommandLine(new BenchMain()).execute(all);
            return new String[] {Integer.toString(code), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void defaultsAreTheIssuesTargets() {
        RelayBenchOptions o = parse("--url", "ws://127.0.0.1:7777");
        assertEquals("ws://127.0.0.1:7777/", o.url().toString());
        assertEquals(List.of(Scenario.INGEST, Scenario.REQ, Scenario.FANOUT, Scenario.IDLE), o.scenarios());
        assertEquals(16, o.connections());
        assertEquals(64, o.window());
        assertEquals(1_000_000, o.storeEvents());
        assertEquals(1000, o.subscribers());
        assertEquals(10_000, o.idleConnections());
        assertEquals(List.of(1, 8), o.reqConcurrency());
        assertEquals(20, o.reqLimit());
        assertEquals(10, o.reqIds());
        assertEquals(0, o.pid());
        assertEquals(Duration.ofSeconds(900), o.timeout());
        assertFalse(o.idleReq());
    }

    @Test
    void everyOptionIsRead() {
        RelayBenchOptions o = parse("--url", "ws://localhost:9000/", "--scenario", "FanOut", "--seed", "9",
                "--cache-dir", "/tmp/x", "--connections", "4", "--window", "256", "--rate", "5000.5",
                "--ingest-events", "300", "--warmup", "0", "--store-events", "5000", "--queries", "50",
                "--req-concurrency", "1,2,16", "--req-authors", "3", "--req-limit", "5", "--req-ids", "7",
                "--subscribers", "12", "--fanout-events", "34", "--publishers", "2", "--idle-connections", "56",
                "--idle-hold", "0", "--idle-req", "--open-parallelism", "8", "--pid", "1234", "--timeout", "30");
        assertEquals(List.of(Scenario.FANOUT), o.scenarios());
        assertEquals(9, o.seed());
        assertEquals(Path.of("/tmp/x"), o.cacheDir());
        assertEquals(4, o.connections());
        assertEquals(256, o.window());
        assertEquals(5000.5, o.rate());
        assertEquals(300, o.ingestEvents());
        assertEquals(0, o.warmup());
        assertEquals(5000, o.storeEvents());
        assertEquals(50, o.queries());
        assertEquals(List.of(1, 2, 16), o.reqConcurrency());
        assertEquals(3, o.reqAuthors());
        assertEquals(5, o.reqLimit());
        assertEquals(7, o.reqIds());
        assertEquals(12, o.subscribers());
        assertEquals(34, o.fanoutEvents());
        assertEquals(2, o.publishers());
        assertEquals(56, o.idleConnections());
        assertEquals(Duration.ZERO, o.idleHold());
        assertTrue(o.idleReq());
        assertEquals(8, o.openParallelism());
        assertEquals(1234, o.pid());
        assertEquals(Duration.ofSeconds(30), o.timeout());
    }

    @Test
    void scenarioNamesParseAndUnknownOnesAreRefused() {
        assertEquals(List.of(Scenario.REQ), Scenario.parse(" req "));
        assertEquals(List.of(Scenario.IDLE), Scenario.parse("idle"));
        assertEquals(4, Scenario.parse("ALL").size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.parse("soak"));
        assertTrue(e.getMessage().contains("--scenario") && e.getMessage().contains("soak"), e.getMessage());
    }

    @Test
    void loadStaysOnThisMachine() {
        assertEquals("ws://[::1]:7777/", RelayBenchOptions.checkUrl(java.net.URI.create("ws://[::1]:7777")).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayBenchOptions.checkUrl(java.net.URI.create("ws://192.0.2.1:7777")));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RelayBenchOptions.checkUrl(java.net.URI.create("wss://127.0.0.1:7777")));
        assertTrue(e.getMessage().contains("ws://"), e.getMessage());
    }

    @Test
    void badValuesExitWithCode2AndNameTheOption() {
        String[][] cases = {
                {"--url", "ws://127.0.0.1:1", "--window", "0"}, {"--window"},
                {"--url", "ws://127.0.0.1:1", "--connections", "-3"}, {"--connections"},
                {"--url", "ws://127.0.0.1:1", "--req-concurrency", "1,0"}, {"--req-concurrency"},
                {"--url", "ws://127.0.0.1:1", "--rate", "-1"}, {"--rate"},
                {"--url", "ws://127.0.0.1:1", "--scenario", "soak"}, {"--scenario"},
                {"--url", "ws://10.1.2.3:7777"}, {"loopback"},
                {"--url", "ws://127.0.0.1:1", "--store-events", "100", "--req-authors", "11"}, {"--req-authors"},
                {"--url", "ws://127.0.0.1:1", "--idle-hold", "-1"}, {"--idle-hold"},
                {"--window", "4"}, {"--url"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            String[] r = run(cases[i]);
            assertEquals("2", r[0], String.join(" ", cases[i]) + " -> " + r[1]);
            assertTrue(r[1].contains(cases[i + 1][0]), String.join(" ", cases[i]) + " -> " + r[1]);
        }
    }
}
