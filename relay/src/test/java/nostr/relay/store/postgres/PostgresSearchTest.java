package nostr.relay.store.postgres;

import nostr.relay.store.SearchContract;
import nostr.relay.store.Storage;

/** NIP-50 search contract on the PostgreSQL adapter (tsvector, GIN, ts_rank). */
class PostgresSearchTest extends SearchContract {
    static final String SCHEMA = "contract_search";

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
