package nostr.relay.membership;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-43 relay membership over WebSockets on the PostgreSQL (embedded PostgreSQL 18) adapter. */
class PostgresNip43Test extends Nip43Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.postgres("relay_nip43");
    }
}
