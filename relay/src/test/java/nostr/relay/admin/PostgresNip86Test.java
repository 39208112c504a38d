package nostr.relay.admin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import nostr.relay.store.Storage;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;

/** NIP-86 management API with NIP-98 auth on the PostgreSQL adapter (embedded PostgreSQL 18). */
class PostgresNip86Test extends Nip86Contract {
    @Override
    protected Storage openStorage() throws Exception {
        String url = EmbeddedPostgresServer.shared().jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS relay_nip86 CASCADE");
        }
        return PostgresStorage.open(PostgresOptions.of(url, "postgres", "").withSchema("relay_nip86"));
    }
}
