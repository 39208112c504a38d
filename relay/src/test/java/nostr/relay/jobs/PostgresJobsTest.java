package nostr.relay.jobs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import nostr.relay.store.Storage;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;

/** Background jobs of a running relay on the PostgreSQL adapter (embedded PostgreSQL 18). */
class PostgresJobsTest extends JobsContract {
    @Override
    protected Storage openStorage() throws Exception {
        String url = EmbeddedPostgresServer.shared().jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS relay_jobs CASCADE");
        }
        return PostgresStorage.open(PostgresOptions.of(url, "postgres", "").withSchema("relay_jobs"));
    }
}
