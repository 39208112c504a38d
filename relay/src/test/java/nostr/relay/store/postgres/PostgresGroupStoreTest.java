package nostr.relay.store.postgres;

import nostr.relay.store.GroupStoreContract;
import nostr.relay.store.Storage;

/** Group store contract on the PostgreSQL adapter (embedded PostgreSQL 18, schema recreated per test). */
class PostgresGroupStoreTest extends GroupStoreContract {
    static final String SCHEMA = "contract_group";

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
