package nostr.relay.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Per-test isolation on the shared embedded server: each contract class owns a schema, dropped before each test. */
final class PostgresTestSupport {
    private PostgresTestSupport() {}

    static PostgresOptions options(String schema) {
        return PostgresOptions.of(EmbeddedPostgresServer.shared().jdbcUrl(), "postgres", "").withSchema(schema);
    }

    /** Drops {@code schema} with everything in it; the storage recreates it on open. */
    static void dropSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(EmbeddedPostgresServer.shared().jdbcUrl(), "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }
}
