package nostr.relay.store.sqlite;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.ids;
import static nostr.relay.store.TestEvents.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.store.StoreException;
import nostr.relay.store.sql.SchemaMigrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versioned schema migrations on SQLite: a database from an older version is upgraded in place
 * (the NIP-50 index is back-filled from stored events), a newer database or an edited script is
 * refused with a message naming the version.
 */
class SqliteMigrationTest {
    @TempDir
    Path dir;

    private Connection raw() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME));
    }

    @Test
    void databaseAtVersion3IsUpgradedAndItsEventsBecomeSearchable() throws Exception {
        Event old = event(SecretKey.generate(), 1, 1_700_000_000L, "written before search existed");
        try (Connection c = raw()) {
            SchemaMigrator.migrate(c, SqliteStorage.MIGRATIONS.subList(0, 3), null);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO events (id, pubkey, created_at, kind, json) VALUES (?, ?, ?, ?, ?)")) {
                ps.setBytes(1, Hex.decode(old.id()));
                ps.setBytes(2, Hex.decode(old.pubkey()));
                ps.setLong(3, old.createdAt());
                ps.setInt(4, old.kind());
                ps.setString(5, old.json());
                ps.executeUpdate();
            }
            c.commit();
        }
        try (SqliteStorage s = SqliteStorage.open(dir, SqliteOptions.defaults())) {
            assertEquals(List.of(old.id()), ids(query(s.events(), Filter.builder().search("search existed").build(), 10,
                    1_800_000_000L)));
        }
        try (Connection c = raw(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(version), count(*) FROM schema_version")) {
            assertTrue(rs.next());
            assertEquals(SqliteStorage.MIGRATIONS.size(), rs.getInt(1));
            assertEquals(SqliteStorage.MIGRATIONS.size(), rs.getInt(2));
        }
    }

    @Test
    void databaseNewerThanTheProgramIsRefused() throws Exception {
        SqliteStorage.open(dir, SqliteOptions.defaults()).close();
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version VALUES (99, 'from the future', 'x', 0)");
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteStorage.open(dir, SqliteOptions.defaults()));
        assertTrue(e.getMessage().contains("version 99 is newer"), e.getMessage());
    }

    @Test
    void scriptChangedAfterItWasAppliedIsRefused() throws Exception {
        SqliteStorage.open(dir, SqliteOptions.defaults()).close();
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("UPDATE schema_version SET checksum = 'edited' WHERE version = 2");
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteStorage.open(dir, SqliteOptions.defaults()));
        assertTrue(e.getMessage().contains("schema version 2"), e.getMessage());
    }

    @Test
    void openingTwiceAppliesNothingTwice() throws Exception {
        SqliteStorage.open(dir, SqliteOptions.defaults()).close();
        SqliteStorage.open(dir, SqliteOptions.defaults()).close();
        try (Connection c = raw(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM schema_version")) {
            assertTrue(rs.next());
            assertEquals(SqliteStorage.MIGRATIONS.size(), rs.getInt(1));
        }
    }
}
