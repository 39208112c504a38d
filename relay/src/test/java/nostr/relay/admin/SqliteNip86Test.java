package nostr.relay.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** NIP-86 management API with NIP-98 auth on the SQLite adapter. */
class SqliteNip86Test extends Nip86Contract {
    @Override
    protected Storage openStorage() throws Exception {
        Path dir = Files.createTempDirectory("nip86-sqlite");
        dir.toFile().deleteOnExit();
        return SqliteStorage.open(dir, SqliteOptions.defaults());
    }
}
