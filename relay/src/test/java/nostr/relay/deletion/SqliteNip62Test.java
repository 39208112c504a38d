package nostr.relay.deletion;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-62 requests to vanish over WebSockets on the SQLite adapter. */
class SqliteNip62Test extends Nip62Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }
}
