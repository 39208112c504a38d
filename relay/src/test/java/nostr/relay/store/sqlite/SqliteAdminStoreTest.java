package nostr.relay.store.sqlite;

import java.nio.file.Path;
import nostr.relay.store.AdminStoreContract;
import nostr.relay.store.Storage;
import org.junit.jupiter.api.io.TempDir;

/** Admin store contract on the SQLite adapter. */
class SqliteAdminStoreTest extends AdminStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Storage openFresh() throws Exception {
        return SqliteStorage.open(dir, SqliteOptions.defaults());
    }

    @Override
    protected Storage reopen() throws Exception {
        return SqliteStorage.open(dir, SqliteOptions.defaults());
    }
}
