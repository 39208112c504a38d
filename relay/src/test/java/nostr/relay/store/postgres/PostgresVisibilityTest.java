package nostr.relay.store.postgres;

import nostr.relay.store.Storage;
import nostr.relay.store.VisibilityContract;

/** Read restrictions and kind retention on the PostgreSQL adapter. */
class PostgresVisibilityTest extends VisibilityContract {
    static final String SCHEMA = "contract_visibility";

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
