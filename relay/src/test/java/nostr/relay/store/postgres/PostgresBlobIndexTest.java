package nostr.relay.store.postgres;

import nostr.blossom.server.BlobIndex;
import nostr.blossom.server.BlobIndexContract;
import nostr.relay.store.Storage;

/** The Blossom blob index contract on the PostgreSQL adapter (embedded PostgreSQL 18, schema recreated per test). */
class PostgresBlobIndexTest extends BlobIndexContract {
    static final String SCHEMA = "contract_blobs";
    private Storage storage;

    @Override
    protected BlobIndex openFresh() throws Exception {
        PostgresTestSupport.dropSchema(SCHEMA);
        storage = PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
        return storage.blobs();
    }

    @Override
    protected BlobIndex reopen() throws Exception {
        storage.close();
        storage = PostgresStorage.open(PostgresTestSupport.options(SCHEMA));
        return storage.blobs();
    }

    @Override
    protected void closeIndex() {
        storage.close();
    }
}
