package nostr.relay.blossom;

import nostr.relay.store.Storage;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;

/** Blossom on the relay, blob metadata in PostgreSQL (embedded PostgreSQL 18). */
class PostgresBlossomTest extends RelayBlossomContract {
    @Override
    protected Storage openStorage() throws Exception {
        return PostgresStorage.open(PostgresOptions.of(EmbeddedPostgresServer.shared().jdbcUrl(), "postgres", "")
                .withSchema("relay_blossom"));
    }
}
