package nostr.relay.store.postgres;

import nostr.relay.store.QueryModelContract;
import nostr.relay.store.Storage;

/** NIP-01 query semantics property on the PostgreSQL adapter. */
class PostgresQueryModelTest extends QueryModelContract {
    static final String SCHEMA = "contract_query_model";

    @Override
    protected Storage openFresh() throws Exception {
        PostgresTestSupport.dropSchema(SCHEMA);
        return PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
    }
}
