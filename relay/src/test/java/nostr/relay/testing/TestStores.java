package nostr.relay.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import nostr.relay.store.Storage;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** Fresh storages of both adapters for relay-level contract tests. */
public final class TestStores {
    private TestStores() {}

    /** SQLite in {@code dir}. */
    public static Storage sqlite(Path dir) throws Exception {
        return SqliteStorage.open(dir, SqliteOptions.defaults());
    }

    /** PostgreSQL on the shared embedded server, in {@code schema}, emptied first. */
    public static Storage postgres(String schema) throws Exception {
        String url = EmbeddedPostgresServer.shared().jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
        return PostgresStorage.open(PostgresOptions.of(url, "postgres", "").withSchema(schema));
    }
}
