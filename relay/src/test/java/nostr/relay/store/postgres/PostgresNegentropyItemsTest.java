package nostr.relay.store.postgres;

import nostr.relay.store.NegentropyItemsContract;
import nostr.relay.store.Storage;

/** NIP-77 items and change reports on the PostgreSQL adapter (embedded PostgreSQL 18, schema recreated per test). */
class PostgresNegentropyItemsTest extends NegentropyItemsContract {
    static final String SCHEMA = "contract_negentropy_items";

    @Override
    protected Storage openFresh() throws Exception {
        PostgresTestSupport.dropSchema(SCHEMA);
        return PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
    }

    @Override
    protected Storage reopen() throws Exception {
        return PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
    }
}
