package nostr.relay;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-66 relay discovery events over WebSockets on the SQLite adapter. */
class SqliteNip66Test extends Nip66Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }
}
