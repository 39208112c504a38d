package nostr.relay.access;

import nostr.relay.store.Storage;

/** NIP-42, NIP-70 and access modes over WebSockets on PostgreSQL (embedded PostgreSQL 18). */
class PostgresNip42Test extends Nip42Contract {
    @Override
    protected Storage openStorage() throws Exception {
        return PostgresAccess.open("access_nip42");
    }
}
