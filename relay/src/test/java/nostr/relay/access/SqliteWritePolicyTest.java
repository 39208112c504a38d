package nostr.relay.access;

import java.nio.file.Files;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** The write policy over WebSockets on SQLite. */
class SqliteWritePolicyTest extends WritePolicyContract {
    @Override
    protected Storage openStorage() throws Exception {
        return SqliteStorage.open(Files.createTempDirectory("write-policy-sqlite"), SqliteOptions.defaults());
    }
}
