package nostr.relay.membership;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-43 relay membership over WebSockets on the SQLite adapter. */
class SqliteNip43Test extends Nip43Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }
}
