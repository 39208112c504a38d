package nostr.relay.deletion;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-09 deletion requests over WebSockets on the PostgreSQL (embedded PostgreSQL 18) adapter. */
class PostgresNip09Test extends Nip09Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.postgres("relay_nip09");
    }
}
