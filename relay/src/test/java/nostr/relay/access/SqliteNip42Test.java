package nostr.relay.access;

import java.nio.file.Files;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** NIP-42, NIP-70 and access modes over WebSockets on SQLite. */
class SqliteNip42Test extends Nip42Contract {
    @Override
    protected Storage openStorage() throws Exception {
        return SqliteStorage.open(Files.createTempDirectory("nip42-sqlite"), SqliteOptions.defaults());
    }
}
