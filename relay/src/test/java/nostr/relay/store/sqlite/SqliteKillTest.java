package nostr.relay.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nostr.relay.store.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: a writer process is killed with SIGKILL (kill -9) in the middle of writing;
 * every event whose write() had returned STORED is in the database when it is opened again
 * (the storage port's durability contract; WAL with synchronous=FULL).
 */
class SqliteKillTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesKillDashNineOfTheWriter() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SqliteKillWriter.class.getName(), dir.toString()).redirectErrorStream(true).start();
        // Drain the child's output continuously, so that the kill lands while it writes, not while
        // it waits on a full pipe.
        List<String> acked = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch enough = new CountDownLatch(2000);
        Thread drain = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acked.add(line.substring(4));
                        enough.countDown();
                    } else if (!line.equals("READY")) {
                        System.err.println("writer: " + line);
                    }
                }
            } catch (IOException e) {
                // the pipe closed when the child died
            }
        });
        try {
            assertTrue(enough.await(120, TimeUnit.SECONDS), "the writer acknowledged only " + acked.size() + " events");
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the writer did not die");
            drain.join();
        } finally {
            p.destroyForcibly();
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL (128 + 9)");
        try (SqliteStorage s = SqliteStorage.open(dir, SqliteOptions.defaults())) {
            for (String id : List.copyOf(acked)) {
                StoredEvent e = s.events().get(id).orElse(null);
                assertTrue(e != null, "acknowledged event " + id + " is missing after kill -9");
            }
            assertTrue(s.events().size() >= acked.size());
        }
    }
}
