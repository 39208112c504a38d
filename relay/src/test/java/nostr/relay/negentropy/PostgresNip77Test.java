package nostr.relay.negentropy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;
import org.junit.jupiter.api.Test;

/** NIP-77 negentropy over WebSockets on the PostgreSQL (embedded PostgreSQL 18) adapter. */
class PostgresNip77Test extends Nip77Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.postgres("relay_nip77");
    }

    /** Other processes write a shared PostgreSQL store (cluster nodes, import): the index re-reads it periodically. */
    @Test
    void nip77IndexRebuildJobRunsOnAStoreOtherProcessesWrite() {
        assertTrue(relay.jobs().scheduled().contains("negentropy_index_rebuild"),
                relay.jobs().scheduled().toString());
    }
}
