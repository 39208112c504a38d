package nostr.relay.access;

import java.nio.file.Files;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** NIP-17/44/59 gift-wrap reads over WebSockets on SQLite. */
class SqliteGiftWrapTest extends GiftWrapContract {
    @Override
    protected Storage openStorage() throws Exception {
        return SqliteStorage.open(Files.createTempDirectory("giftwrap-sqlite"), SqliteOptions.defaults());
    }
}
