package nostr.relay;

import nostr.relay.store.Storage;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;

/** NIP-01 relay behaviour on the PostgreSQL adapter (embedded PostgreSQL 18). */
class PostgresNip01Test extends Nip01Contract {
    @Override
    protected Storage openStorage() throws Exception {
        return PostgresStorage.open(PostgresOptions.of(EmbeddedPostgresServer.shared().jdbcUrl(), "postgres", "")
                .withSchema("relay_nip01"));
    }
}
