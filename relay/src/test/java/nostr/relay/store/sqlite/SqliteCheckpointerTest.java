package nostr.relay.store.sqlite;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.store.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background WAL checkpointer (SqliteCheckpointer): with the writer's own checkpoint pushed
 * out of reach, committed pages still reach the database file, copied by the checkpointer's
 * thread; without it they stay in the WAL. Either way every NIP-01 event is readable and
 * survives a reopen (durability comes from the synced WAL, not from checkpoints).
 */
class SqliteCheckpointerTest {
    @TempDir
    Path dir;

    private static List<Event> events(int n) {
        SecretKey k = SecretKey.generate();
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(k, 1, 1_700_000_000L + i, "note " + i, tag("e", String.format("%064x", i % 7)), tag("t", "t" + (i % 5))));
        }
        return out;
    }

    @Test
    void nip01CommittedPagesReachTheDatabaseFileWithoutTheWriterCheckpointing() throws Exception {
        SqliteOptions o = SqliteOptions.defaults().withCheckpoints(1_000_000, Duration.ofMillis(20));
        Path db = dir.resolve(SqliteStorage.FILE_NAME);
        List<Event> written = events(1500);
        try (SqliteStorage s = SqliteStorage.open(dir, o)) {
            long before = Files.size(db);
            for (int i = 0; i < written.size(); i += 100) {
                s.events().write(written.subList(i, i + 100));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Files.size(db) <= before && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(Files.size(db) > before, "the database file did not grow: nothing was checkpointed");
            assertEquals(1500, s.events().size());
        }
        try (SqliteStorage s = SqliteStorage.open(dir, o)) {
            assertEquals(1500, TestEvents.query(s.events(), Filter.builder().kinds(1).build(), 5000, 1_800_000_000L).size());
        }
    }

    @Test
    void nip01WithoutTheCheckpointerCommittedPagesStayInTheWalAndAreStillServed() throws Exception {
        SqliteOptions o = SqliteOptions.defaults().withCheckpoints(1_000_000, Duration.ZERO);
        Path db = dir.resolve(SqliteStorage.FILE_NAME);
        List<Event> written = events(600);
        try (SqliteStorage s = SqliteStorage.open(dir, o)) {
            long before = Files.size(db);
            for (int i = 0; i < written.size(); i += 100) {
                s.events().write(written.subList(i, i + 100));
            }
            assertEquals(before, Files.size(db), "something checkpointed although nothing should");
            assertEquals(600, TestEvents.query(s.events(), Filter.builder().tag('t', "t1").build(), 5000, 1_800_000_000L).size() * 5);
        }
    }
}
