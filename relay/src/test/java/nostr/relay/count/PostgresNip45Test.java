package nostr.relay.count;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-45 COUNT over WebSockets on the PostgreSQL (embedded PostgreSQL 18) adapter. */
class PostgresNip45Test extends Nip45Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.postgres("relay_nip45");
    }
}
