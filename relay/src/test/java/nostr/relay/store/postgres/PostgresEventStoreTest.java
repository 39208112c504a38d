package nostr.relay.store.postgres;

import nostr.relay.store.EventStoreContract;
import nostr.relay.store.Storage;

/** NIP-01 / NIP-40 event storage contract on the PostgreSQL adapter (embedded PostgreSQL 18, schema recreated per test). */
class PostgresEventStoreTest extends EventStoreContract {
    static final String SCHEMA = "contract_events";

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
