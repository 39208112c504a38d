package nostr.relay.store.postgres;

import nostr.relay.store.MaintenanceStoreContract;
import nostr.relay.store.Storage;

/** Maintenance contract on the PostgreSQL adapter (embedded PostgreSQL 18, schema recreated per test). */
class PostgresMaintenanceTest extends MaintenanceStoreContract {
    static final String SCHEMA = "contract_maintenance";

    @Override
    protected Storage openFresh() throws Exception {
        PostgresTestSupport.dropSchema(SCHEMA);
        return PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
    }

    @Override
    protected Storage reopen() throws Exception {
        return PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
    }

    @Override
    protected boolean compactShrinksAfterDeletion() {
        // VACUUM (not FULL) keeps the space for reuse inside the tables.
        return false;
    }
}
