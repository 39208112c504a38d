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

    /**
     * V6 stores 64-hex tag values as 32 bytes: a version 5 database whose tag rows hold text is
     * rewritten in place, and NIP-01 tag queries, NIP-62 vanish of p-tagged gift wraps and
     * cascading deletes keep working on the rows written before and after the upgrade.
     */
    @Test
    void databaseAtVersion5KeepsItsTagQueriesWhenHexTagValuesBecomeBlobs() throws Exception {
        SecretKey alice = SecretKey.generate();
        String root = "ab".repeat(32);
        String upper = "CD".repeat(32);
        String bob = SecretKey.generate().publicKey().hex();
        long t = 1_700_000_000L;
        Event reply = event(alice, 1, t, "reply", new String[] {"e", root}, new String[] {"p", bob},
                new String[] {"t", "nostr"}, new String[] {"x", upper});
        Event wrap = event(SecretKey.generate(), 1059, t + 1, "sealed", new String[] {"p", bob});
        Event other = event(alice, 1, t + 2, "other", new String[] {"e", "12".repeat(32)});
        try (Connection c = raw()) {
            SchemaMigrator.migrate(c, SqliteStorage.MIGRATIONS.subList(0, 5), null);
            long seq = 0;
            for (Event e : List.of(reply, wrap, other)) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO events (id, pubkey, created_at, kind, json) VALUES (?, ?, ?, ?, ?) RETURNING seq")) {
                    ps.setBytes(1, Hex.decode(e.id()));
                    ps.setBytes(2, Hex.decode(e.pubkey()));
                    ps.setLong(3, e.createdAt());
                    ps.setInt(4, e.kind());
                    ps.setString(5, e.json());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        seq = rs.getLong(1);
                    }
                }
                for (List<String> tag : e.tags()) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO event_tags (event_seq, name, value, created_at) VALUES (?, ?, ?, ?)")) {
                        ps.setLong(1, seq);
                        ps.setString(2, tag.get(0));
                        ps.setString(3, tag.get(1));
                        ps.setLong(4, e.createdAt());
                        ps.executeUpdate();
                    }
                }
            }
            c.commit();
        }
        Event later = event(alice, 1, t + 3, "after the upgrade", new String[] {"e", root});
        try (SqliteStorage s = SqliteStorage.open(dir, SqliteOptions.defaults())) {
            s.events().write(List.of(later));
            long now = 1_800_000_000L;
            assertEquals(List.of(later.id(), reply.id()), ids(query(s.events(), Filter.builder().tag('e', root).build(), 10, now)));
            assertEquals(List.of(wrap.id(), reply.id()), ids(query(s.events(), Filter.builder().tag('p', bob).build(), 10, now)));
            assertEquals(List.of(reply.id()), ids(query(s.events(), Filter.builder().tag('t', "nostr").build(), 10, now)));
            assertEquals(List.of(reply.id()), ids(query(s.events(), Filter.builder().tag('x', upper).build(), 10, now)));
            assertEquals(List.of(), ids(query(s.events(), Filter.builder().tag('x', upper.toLowerCase()).build(), 10, now)));
            // NIP-62: the gift wrap p-tagged to bob (an old row) goes with bob's request to vanish.
            assertEquals(1, s.events().vanish(bob, t + 10));
            assertTrue(s.events().get(wrap.id()).isEmpty());
            // Cascade: deleting an event removes its converted tag rows.
            s.events().deleteByRequest(event(alice, 5, t + 20, "", new String[] {"e", other.id()}));
            assertEquals(List.of(), ids(query(s.events(), Filter.builder().tag('e', "12".repeat(32)).build(), 10, now)));
        }
        try (Connection c = raw(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, typeof(value), length(value) FROM event_tags ORDER BY event_seq, name")) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getInt(3));
            }
            // reply: e and p as 32-byte blobs, t as text, x (upper-case hex) kept as text; later's e as a blob.
            assertEquals(List.of("e:blob:32", "p:blob:32", "t:text:5", "x:text:64", "e:blob:32"), rows);
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
