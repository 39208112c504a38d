package nostr.relay.negentropy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.testing.TestStores;
import org.junit.jupiter.api.Test;

/** NIP-77 negentropy over WebSockets on the SQLite adapter. */
class SqliteNip77Test extends Nip77Contract {
    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }

    /** This relay is the SQLite file's only writer and its change listener hears every commit: no periodic whole-store re-read. */
    @Test
    void nip77IndexIsNotPeriodicallyRebuiltOnASingleWriterStore() {
        assertFalse(relay.jobs().scheduled().contains("negentropy_index_rebuild"),
                relay.jobs().scheduled().toString());
        assertTrue(relay.jobs().scheduled().contains("negentropy_idle_sweep"), relay.jobs().scheduled().toString());
    }
}
