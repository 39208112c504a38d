package nostr.relay.blossom;

import java.nio.file.Files;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** Blossom on the relay, blob metadata in SQLite. */
class SqliteBlossomTest extends RelayBlossomContract {
    @Override
    protected Storage openStorage() throws Exception {
        return SqliteStorage.open(Files.createTempDirectory("blossom-sqlite"), SqliteOptions.defaults());
    }
}
