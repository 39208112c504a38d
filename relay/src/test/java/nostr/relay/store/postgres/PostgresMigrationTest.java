package nostr.relay.store.postgres;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.ids;
import static nostr.relay.store.TestEvents.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.store.StoreException;
import nostr.relay.store.sql.SchemaMigrator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Versioned schema migrations on PostgreSQL: an older schema is upgraded in place (the NIP-50
 * tsvector is back-filled; an event whose JSON escapes a NUL stays unindexed rather than failing
 * the migration), a newer one is refused.
 */
class PostgresMigrationTest {
    static final String SCHEMA = "migrations";

    @BeforeEach
    void fresh() throws Exception {
        PostgresTestSupport.dropSchema(SCHEMA);
    }

    private Connection raw() throws Exception {
        Connection c = DriverManager.getConnection(EmbeddedPostgresServer.shared().jdbcUrl() + "?currentSchema=" + SCHEMA,
                "postgres", "");
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        }
        return c;
    }

    @Test
    void schemaAtVersion3IsUpgradedAndItsEventsBecomeSearchable() throws Exception {
        SecretKey key = SecretKey.generate();
        Event old = event(key, 1, 1_700_000_000L, "written before search existed");
        Event odd = event(key, 1, 1_700_000_001L, "search with a nul\u0000inside");
        try (Connection c = raw()) {
            SchemaMigrator.migrate(c, PostgresStorage.MIGRATIONS.subList(0, 3), null);
            for (Event e : List.of(old, odd)) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO events (created_at, id, pubkey, kind, json) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setLong(1, e.createdAt());
                    ps.setBytes(2, Hex.decode(e.id()));
                    ps.setBytes(3, Hex.decode(e.pubkey()));
                    ps.setInt(4, e.kind());
                    ps.setString(5, e.json());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_ids (id, created_at) VALUES (?, ?)")) {
                    ps.setBytes(1, Hex.decode(e.id()));
                    ps.setLong(2, e.createdAt());
                    ps.executeUpdate();
                }
            }
            c.commit();
        }
        try (PostgresStorage s = PostgresStorage.open(PostgresTestSupport.options(SCHEMA))) {
            assertEquals(List.of(old.id()), ids(query(s.events(), Filter.builder().search("search").build(), 10,
                    1_800_000_000L)));
            assertEquals(odd.json(), s.events().get(odd.id()).orElseThrow().json());
        }
    }

    @Test
    void schemaNewerThanTheProgramIsRefused() throws Exception {
        PostgresStorage.open(PostgresTestSupport.options(SCHEMA)).close();
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version VALUES (99, 'from the future', 'x', 0)");
        }
        StoreException e = assertThrows(StoreException.class, () -> PostgresStorage.open(PostgresTestSupport.options(SCHEMA)));
        assertTrue(e.getMessage().contains("version 99 is newer"), e.getMessage());
    }
}
