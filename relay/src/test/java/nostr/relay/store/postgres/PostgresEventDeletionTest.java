package nostr.relay.store.postgres;

import nostr.relay.store.EventDeletionContract;
import nostr.relay.store.Storage;

/** NIP-09 / NIP-62 deletion contract on the PostgreSQL adapter (embedded PostgreSQL 18, schema recreated per test). */
class PostgresEventDeletionTest extends EventDeletionContract {
    static final String SCHEMA = "contract_deletion";

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
