package nostr.bench.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import nostr.bench.BenchMain;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench negentropy} at tiny scale against a real parrhesia on SQLite in this JVM: it fills
 * the relay with the corpus, and every NIP-77 reconciliation must find exactly the differences it
 * planted (half only on the relay, half only on the client).
 */
class NegentropyBenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void nip77BenchFindsExactlyThePlantedDifferences() throws Exception {
        try (Storage storage = SqliteStorage.open(dir.resolve("relay"), SqliteOptions.defaults());
             Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withDataDir(dir.resolve("relay")), storage)) {
            PrintStream out = System.out;
            PrintStream err = System.err;
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            int code;
            try {
                System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                code = new CommandLine(new BenchMain()).execute("negentropy", "--url", relay.url(), "--events", "1500",
                        "--differences", "100", "--runs", "2", "--cache-dir", dir.resolve("cache").toString(),
                        "--connections", "2", "--timeout", "120");
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            String line = o.toString(StandardCharsets.UTF_8).strip();
            assertEquals(0, code, line);
            assertTrue(line.contains("\"complete\":true"), line);
            assertTrue(line.matches(".*\"relay_index_items\":1500(\\.0)?[,}].*"), line);
            assertEquals(2, line.split("\"need\":50,\"have\":50,\"exact\":true", -1).length - 1, line);
            assertTrue(line.contains("\"median_ms\":"), line);
        }
    }
}
