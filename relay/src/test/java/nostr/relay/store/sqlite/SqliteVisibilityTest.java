package nostr.relay.store.sqlite;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.store.VisibilityContract;
import org.junit.jupiter.api.io.TempDir;

/** Read restrictions and kind retention on the SQLite adapter. */
class SqliteVisibilityTest extends VisibilityContract {
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
