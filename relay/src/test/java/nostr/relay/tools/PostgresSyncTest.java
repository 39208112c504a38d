package nostr.relay.tools;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nostr.relay.store.postgres.EmbeddedPostgresServer;

/** {@code parrhesia sync} into a PostgreSQL store (embedded PostgreSQL 18): each local store is a database of its own. */
class PostgresSyncTest extends SyncContract {
    private final Set<String> created = new HashSet<>();

    @Override
    protected List<String> storeFlags(String name) throws Exception {
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();
        String db = "sync_" + name;
        if (created.add(db)) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                st.execute("CREATE DATABASE " + db);
            }
        }
        return List.of("--store", "postgres", "--postgres-url",
                "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + db + "?user=postgres");
    }
}
