package nostr.relay.access;

import nostr.relay.store.Storage;

/** NIP-17/44/59 gift-wrap reads over WebSockets on PostgreSQL (embedded PostgreSQL 18). */
class PostgresGiftWrapTest extends GiftWrapContract {
    @Override
    protected Storage openStorage() throws Exception {
        return PostgresAccess.open("access_giftwrap");
    }
}
