package nostr.relay.access;

import nostr.relay.store.Storage;

/** The write policy over WebSockets on PostgreSQL (embedded PostgreSQL 18). */
class PostgresWritePolicyTest extends WritePolicyContract {
    @Override
    protected Storage openStorage() throws Exception {
        return PostgresAccess.open("access_write_policy");
    }
}
