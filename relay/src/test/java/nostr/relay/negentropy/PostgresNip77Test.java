package nostr.relay.negentropy;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-77 negentropy over WebSockets on the PostgreSQL (embedded PostgreSQL 18) adapter. */
class PostgresNip77Test extends Nip77Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.postgres("relay_nip77");
    }
}
