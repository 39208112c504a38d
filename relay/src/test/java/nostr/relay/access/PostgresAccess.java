package nostr.relay.access;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import nostr.relay.store.Storage;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;

/** A fresh schema on the shared embedded PostgreSQL for one access contract class. */
final class PostgresAccess {
    private PostgresAccess() {}

    static Storage open(String schema) throws Exception {
        String url = EmbeddedPostgresServer.shared().jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
        return PostgresStorage.open(PostgresOptions.of(url, "postgres", "").withSchema(schema));
    }
}
