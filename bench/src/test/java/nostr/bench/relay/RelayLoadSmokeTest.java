package nostr.bench.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import nostr.bench.BenchMain;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every scenario at tiny scale against a real parrhesia on SQLite, started in this JVM on an
 * ephemeral loopback port: the counts must add up (NIP-01: every EVENT gets exactly one OK, every
 * REQ ends with EOSE and returns what the store holds, every live subscriber gets every new event).
 */
class RelayLoadSmokeTest {
    @TempDir
    static Path dir;
    static Storage storage;
    static Relay relay;
    static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @BeforeAll
    static void startRelay() throws Exception {
        storage = SqliteStorage.open(dir.resolve("relay"), SqliteOptions.defaults());
        relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir.resolve("relay")), storage);
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
        storage.close();
    }

    private static RelayBenchOptions options(String... extra) {
        String[] base = {"--url", relay.url(), "--cache-dir", dir.resolve("cache").toString(), "--seed", "11",
                "--connections", "4", "--window", "16", "--ingest-events", "200", "--warmup", "20",
                "--store-events", "600", "--queries", "40", "--req-concurrency", "1,3", "--req-authors", "2",
                "--subscribers", "10", "--fanout-events", "200", "--idle-connections", "50", "--idle-hold", "0",
                "--pid", Long.toString(ProcessHandle.current().pid()), "--timeout", "60"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        RelayCommand cmd = new RelayCommand();
        // Later values win, so a test can override a base option.
        new CommandLine(cmd).setOverwrittenOptionsAllowed(true).parseArgs(all);
        return cmd.options();
    }

    private static long num(ResultLine r, String key) {
        return ((Number) r.get(key)).longValue();
    }

    @Test
    void nip01IngestGetsOneOkPerEventAndStoresEachOnce() throws Exception {
        ResultLine r = RelayCommand.runOne(RelayBenchOptions.Scenario.INGEST, options("--seed", "21"), LOG);
        assertEquals(true, r.get("complete"), r.toString());
        assertEquals(200, num(r, "sent"));
        assertEquals(200, num(r, "stored"));
        assertEquals(0, num(r, "duplicates"));
        assertEquals(0, num(r, "refused"));
        assertEquals(0, num(r, "unmatched_oks"));
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) r.get("ok_latency_ms");
        assertEquals(200L, ((Number) latency.get("count")).longValue());
        assertTrue(((Number) latency.get("p50")).doubleValue() <= ((Number) latency.get("p99")).doubleValue());

        // The same events again: the relay must call every one a duplicate, and the run still completes.
        ResultLine again = RelayCommand.runOne(RelayBenchOptions.Scenario.INGEST, options("--seed", "21"), LOG);
        assertEquals(true, again.get("complete"), again.toString());
        assertEquals(0, num(again, "stored"));
        assertEquals(200, num(again, "duplicates"));
    }

    @Test
    void nip01ReqFillsTheStoreThenEveryQueryReturnsWhatTheCorpusHolds() throws Exception {
        ResultLine r = RelayCommand.runOne(RelayBenchOptions.Scenario.REQ, options(), LOG);
        assertEquals(true, r.get("complete"), r.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> fill = (Map<String, Object>) r.get("fill");
        assertEquals(600L, ((Number) fill.get("stored")).longValue(), r.toString());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> shapes = (Map<String, Map<String, Map<String, Object>>>) r.get("shapes");
        assertEquals(java.util.Set.of("authors+kinds", "#e", "ids"), shapes.keySet());
        for (var shape : shapes.entrySet()) {
            assertEquals(java.util.Set.of("c1", "c3"), shape.getValue().keySet());
            for (var level : shape.getValue().values()) {
                assertEquals(40L, ((Number) level.get("reqs")).longValue(), shape.getKey());
                assertEquals(0L, ((Number) level.get("wrong_counts")).longValue(), shape.getKey());
                assertEquals(0L, ((Number) level.get("refused")).longValue(), shape.getKey());
                assertTrue(((Number) level.get("mean_events")).doubleValue() > 0, shape.getKey());
            }
        }
        assertEquals(10.0, ((Number) shapes.get("ids").get("c1").get("mean_events")).doubleValue());

        // A second run finds the corpus already stored and publishes nothing.
        ResultLine again = RelayCommand.runOne(RelayBenchOptions.Scenario.REQ, options("--req-concurrency", "1"), LOG);
        assertEquals(true, again.get("complete"), again.toString());
        assertEquals("50/50", again.get("probe_found_before"));
        assertNull(again.get("fill"));
    }

    @Test
    void nip01EveryLiveSubscriberReceivesEveryNewEvent() throws Exception {
        ResultLine r = RelayCommand.runOne(RelayBenchOptions.Scenario.FANOUT, options(), LOG);
        assertEquals(true, r.get("complete"), r.toString());
        assertEquals(2000, num(r, "deliveries"));
        assertEquals(2000, num(r, "expected_deliveries"));
        assertEquals(0, num(r, "subscribers_closed_early"));
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) r.get("delivery_latency_ms");
        assertEquals(2000L, ((Number) latency.get("count")).longValue());
    }

    @Test
    void idleConnectionsAllStayOpenAndAnswerAPing() throws Exception {
        ResultLine r = RelayCommand.runOne(RelayBenchOptions.Scenario.IDLE, options("--idle-req"), LOG);
        assertEquals(true, r.get("complete"), r.toString());
        assertEquals(50, num(r, "opened"));
        assertEquals(50, num(r, "answered_ping"));
        assertEquals(50, num(r, "subscriptions"));
        @SuppressWarnings("unchecked")
        Map<String, Object> mem = (Map<String, Object>) r.get("relay");
        assertEquals(ProcessHandle.current().pid(), ((Number) mem.get("pid")).longValue());
        assertTrue(((Number) mem.get("rss_after_mib")).doubleValue() > 0);
    }

    @Test
    void theCommandPrintsOneJsonLinePerScenarioAndExitsZeroWhenCountsAddUp() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = new CommandLine(new BenchMain()).execute("relay", "--url", relay.url(), "--scenario", "ingest",
                    "--cache-dir", dir.resolve("cache").toString(), "--seed", "31", "--ingest-events", "50",
                    "--warmup", "0", "--connections", "2");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String stdout = o.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, e.toString(StandardCharsets.UTF_8));
        String[] lines = stdout.strip().split("\n");
        assertEquals(1, lines.length, stdout);
        assertTrue(lines[0].startsWith("{\"scenario\":\"ingest\",\"url\":\"" + relay.url() + "\""), lines[0]);
        assertTrue(lines[0].contains("\"stored\":50,") && lines[0].contains("\"complete\":true"), lines[0]);
        assertTrue(e.toString(StandardCharsets.UTF_8).contains("ingest: 50 OK in"), e.toString(StandardCharsets.UTF_8));
    }
}
