package nostr.relay.store.postgres;

import nostr.relay.store.AdminStoreContract;
import nostr.relay.store.Storage;

/** Admin store contract on the PostgreSQL adapter (embedded PostgreSQL 18, schema recreated per test). */
class PostgresAdminStoreTest extends AdminStoreContract {
    static final String SCHEMA = "contract_admin";

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
