package nostr.relay.store.sqlite;

import java.nio.file.Path;
import nostr.relay.store.SearchContract;
import nostr.relay.store.Storage;
import org.junit.jupiter.api.io.TempDir;

/** NIP-50 search contract on the SQLite adapter (FTS5). */
class SqliteSearchTest extends SearchContract {
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
