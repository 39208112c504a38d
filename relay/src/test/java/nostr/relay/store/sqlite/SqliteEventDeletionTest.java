package nostr.relay.store.sqlite;

import java.nio.file.Path;
import nostr.relay.store.EventDeletionContract;
import nostr.relay.store.Storage;
import org.junit.jupiter.api.io.TempDir;

/** NIP-09 / NIP-62 deletion contract on the SQLite adapter. */
class SqliteEventDeletionTest extends EventDeletionContract {
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
