package nostr.relay.tools;

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
        String url = created.add(db) ? pg.freshDatabase(db) : "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + db;
        return List.of("--store", "postgres", "--postgres-url", url + "?user=postgres");
    }
}
