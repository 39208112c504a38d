package nostr.relay.deletion;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-09 deletion requests over WebSockets on the SQLite adapter. */
class SqliteNip09Test extends Nip09Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }
}
