package nostr.relay.store.postgres;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import nostr.relay.store.CommitJournal;
import nostr.relay.store.EventStore;
import nostr.relay.store.StoreException;
import nostr.relay.store.WriteStatus;
import nostr.relay.store.sql.SchemaMigrator;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's commit journal on PostgreSQL (relay/README.md "Cluster"; NIP-01 events as stored):
 * gap-free numbering per origin in the storing transaction, only STORED events, deletion requests,
 * nothing from a failed transaction, reads with the raw JSON or null when the event is gone,
 * pruning that keeps heads, exclusive node leases, and the upgrade from schema version 5.
 */
class PostgresCommitJournalTest {
    static final String SCHEMA = "journal";

    @TempDir
    Path dir;

    private PostgresStorage storage;
    private CommitJournal journal;
    private final List<List<CommitJournal.Entry>> told = new ArrayList<>();
    private final SecretKey alice = SecretKey.generate();
    private final long now = System.currentTimeMillis() / 1000;

    @BeforeEach
    void open() throws Exception {
        PostgresTestSupport.dropSchema(SCHEMA);
        storage = PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
        journal = storage.journal().orElseThrow();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private EventStore origin(String name) {
        return journal.recording(name, told::add);
    }

    private static List<Long> seqs(List<CommitJournal.Entry> entries) {
        return entries.stream().map(CommitJournal.Entry::seq).toList();
    }

    private Connection sql() throws Exception {
        return DriverManager.getConnection(EmbeddedPostgresServer.shared().jdbcUrl() + "?currentSchema=" + SCHEMA,
                "postgres", "");
    }

    @Test
    void storedEventsOfAnOriginAreNumberedWithoutGapsAcrossTransactions() throws Exception {
        EventStore a = origin("a");
        Event e1 = event(alice, 1, now, "one");
        Event e2 = event(alice, 1, now, "two");
        Event e3 = event(alice, 1, now, "three");
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED), a.write(List.of(e1, e2)));
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.DUPLICATE), a.write(List.of(e3, e1)));
        assertEquals(2, told.size());
        assertEquals(List.of(1L, 2L), seqs(told.get(0)));
        assertEquals(List.of(e1.id(), e2.id()), told.get(0).stream().map(CommitJournal.Entry::eventId).toList());
        assertEquals(List.of(3L), seqs(told.get(1)));
        assertEquals(Map.of("a", 3L), journal.heads());
        List<CommitJournal.Entry> read = journal.read("a", 0, 3, 10);
        assertEquals(List.of(1L, 2L, 3L), seqs(read));
        assertEquals(List.of(e1.json(), e2.json(), e3.json()), read.stream().map(CommitJournal.Entry::json).toList());
        assertEquals(List.of(2L), seqs(journal.read("a", 1, 2, 10)));
        assertEquals(List.of(1L), seqs(journal.read("a", 0, 3, 1)));
    }

    @Test
    void supersededReplaceableVersionsAndDuplicatesAreNotRecorded() throws Exception {
        EventStore a = origin("a");
        Event newer = event(alice, 0, now, "{\"name\":\"new\"}");
        Event older = event(alice, 0, now - 10, "{\"name\":\"old\"}");
        a.write(List.of(newer));
        assertEquals(List.of(WriteStatus.SUPERSEDED), a.write(List.of(older)));
        assertEquals(List.of(WriteStatus.DUPLICATE), a.write(List.of(newer)));
        assertEquals(1, told.size());
        assertEquals(Map.of("a", 1L), journal.heads());
    }

    @Test
    void originsAreNumberedIndependently() throws Exception {
        origin("a").write(List.of(event(alice, 1, now, "a1"), event(alice, 1, now, "a2")));
        origin("b").write(List.of(event(alice, 1, now, "b1")));
        origin("a").write(List.of(event(alice, 1, now, "a3")));
        assertEquals(Map.of("a", 3L, "b", 1L), journal.heads());
        assertEquals(List.of(1L), seqs(journal.read("b", 0, 10, 10)));
    }

    @Test
    void nip09DeletionRequestIsRecordedAndItsTargetReadsAsGone() throws Exception {
        EventStore a = origin("a");
        Event note = event(alice, 1, now - 5, "to be deleted");
        a.write(List.of(note));
        Event deletion = event(alice, 5, now, "", tag("e", note.id()));
        EventStore.Applied applied = a.writeDeletionRequest(deletion);
        assertEquals(WriteStatus.STORED, applied.status());
        assertEquals(1, applied.removed());
        assertEquals(List.of(2L), seqs(told.get(1)));
        List<CommitJournal.Entry> read = journal.read("a", 0, 2, 10);
        assertEquals(note.id(), read.get(0).eventId());
        assertNull(read.get(0).json(), "the deleted note is gone");
        assertEquals(deletion.json(), read.get(1).json());
        // Sent again: DUPLICATE, applied again, not recorded again.
        assertEquals(WriteStatus.DUPLICATE, a.writeDeletionRequest(deletion).status());
        assertEquals(Map.of("a", 2L), journal.heads());
    }

    @Test
    void failedTransactionStoresNothingRecordsNothingAndUsesNoNumber() throws Exception {
        EventStore a = origin("a");
        a.write(List.of(event(alice, 1, now, "one")));
        // A stray entry where number 2 would go makes the next transaction fail on the journal's key.
        try (Connection c = sql(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO cluster_journal VALUES ('a', 2, '\\x00', 0)");
        }
        Event lost = event(alice, 1, now, "in the failed transaction");
        assertThrows(StoreException.class, () -> a.write(List.of(lost)));
        assertTrue(storage.events().get(lost.id()).isEmpty(), "the event was not stored either");
        assertEquals(1, told.size());
        assertEquals(Map.of("a", 1L), journal.heads());
        try (Connection c = sql(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM cluster_journal WHERE origin = 'a' AND seq = 2");
        }
        assertEquals(List.of(WriteStatus.STORED), a.write(List.of(lost)));
        assertEquals(List.of(2L), seqs(told.get(1)));
    }

    @Test
    void pruneDeletesOldEntriesAndKeepsHeadsSoNumbersNeverRestart() throws Exception {
        EventStore a = origin("a");
        a.write(List.of(event(alice, 1, now, "one"), event(alice, 1, now, "two")));
        try (Connection c = sql(); Statement st = c.createStatement()) {
            st.execute("UPDATE cluster_journal SET committed_at = committed_at - 7200000");
        }
        a.write(List.of(event(alice, 1, now, "three")));
        assertEquals(2, journal.prune(Duration.ofHours(1)));
        assertEquals(List.of(3L), seqs(journal.read("a", 0, 3, 10)));
        assertEquals(Map.of("a", 3L), journal.heads());
        a.write(List.of(event(alice, 1, now, "four")));
        assertEquals(List.of(4L), seqs(told.getLast()));
    }

    @Test
    void aNodeNameCanBeLeasedByOneHolderAtATime() throws Exception {
        try (PostgresStorage other = PostgresStorage.open(PostgresTestSupport.options(SCHEMA))) {
            CommitJournal.Lease lease = journal.lease("node-1");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> other.journal().orElseThrow().lease("node-1"));
            assertTrue(refused.getMessage().contains("another relay node named 'node-1' is running"), refused.getMessage());
            other.journal().orElseThrow().lease("node-2").close();
            lease.close();
            other.journal().orElseThrow().lease("node-1").close();
        }
    }

    @Test
    void aLeaseWhoseDatabaseSessionEndedIsTakenBackOnRenew() throws Exception {
        try (CommitJournal.Lease lease = journal.lease("node-1")) {
            assertTrue(lease.renew());
            try (Connection c = sql(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'parrhesia-node-lease'");
            }
            assertTrue(lease.renew(), "re-taken on a new session");
            try (PostgresStorage other = PostgresStorage.open(PostgresTestSupport.options(SCHEMA))) {
                assertThrows(IllegalStateException.class, () -> other.journal().orElseThrow().lease("node-1"));
            }
        }
    }

    @Test
    void schemaAtVersion5IsUpgradedWithAnEmptyJournal() throws Exception {
        storage.close();
        PostgresTestSupport.dropSchema(SCHEMA);
        try (Connection c = sql()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + SCHEMA);
            }
            c.setAutoCommit(false);
            SchemaMigrator.migrate(c, PostgresStorage.MIGRATIONS.subList(0, 5), null);
        }
        storage = PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
        journal = storage.journal().orElseThrow();
        assertEquals(Map.of(), journal.heads());
        origin("a").write(List.of(event(alice, 1, now, "after the upgrade")));
        assertEquals(Map.of("a", 1L), journal.heads());
    }

    @Test
    void sqliteHasNoCommitJournal() throws Exception {
        try (SqliteStorage s = SqliteStorage.open(dir, SqliteOptions.defaults())) {
            assertFalse(s.journal().isPresent());
        }
    }
}
