package nostr.relay.store.postgres;

import nostr.relay.store.ReplaceableConflictContract;
import nostr.relay.store.Storage;

/** NIP-01 replaceable/addressable conflict properties on the PostgreSQL adapter. */
class PostgresReplaceableConflictTest extends ReplaceableConflictContract {
    static final String SCHEMA = "contract_replaceable";

    @Override
    protected Storage openFresh() throws Exception {
        PostgresTestSupport.dropSchema(SCHEMA);
        return PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
    }
}
