package nostr.relay.store.postgres;

import nostr.relay.store.ModerationStoreContract;
import nostr.relay.store.Storage;

/** Moderation store contract on the PostgreSQL adapter (embedded PostgreSQL 18, schema recreated per test). */
class PostgresModerationStoreTest extends ModerationStoreContract {
    static final String SCHEMA = "contract_moderation";

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
