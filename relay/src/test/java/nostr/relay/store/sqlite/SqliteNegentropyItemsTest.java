package nostr.relay.store.sqlite;

import java.nio.file.Path;
import nostr.relay.store.NegentropyItemsContract;
import nostr.relay.store.Storage;
import org.junit.jupiter.api.io.TempDir;

/** NIP-77 items and change reports on the SQLite adapter (a fresh database file per test). */
class SqliteNegentropyItemsTest extends NegentropyItemsContract {
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
