package nostr.relay.membership;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;

/** NIP-43 invites and the members access mode over WebSockets on the PostgreSQL (embedded PostgreSQL 18) adapter. */
class PostgresNip43AccessTest extends Nip43AccessContract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.postgres("relay_nip43_access");
    }
}
