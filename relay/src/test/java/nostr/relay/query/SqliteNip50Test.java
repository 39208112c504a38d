package nostr.relay.query;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-50 search over WebSockets on the SQLite adapter. */
class SqliteNip50Test extends Nip50Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }
}
