package nostr.relay;

import java.nio.file.Files;
import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** NIP-01 relay behaviour on the SQLite adapter. */
class SqliteNip01Test extends Nip01Contract {
    @Override
    protected Storage openStorage() throws Exception {
        Path dir = Files.createTempDirectory("nip01-sqlite");
        dir.toFile().deleteOnExit();
        return SqliteStorage.open(dir, SqliteOptions.defaults());
    }
}
