package nostr.relay.store.sqlite;

import java.nio.file.Path;
import nostr.relay.store.EventStoreContract;
import nostr.relay.store.Storage;
import org.junit.jupiter.api.io.TempDir;

/** NIP-01 / NIP-40 event storage contract on the SQLite adapter (a fresh database file per test). */
class SqliteEventStoreTest extends EventStoreContract {
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
