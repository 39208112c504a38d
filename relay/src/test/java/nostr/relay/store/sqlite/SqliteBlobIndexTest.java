package nostr.relay.store.sqlite;

import java.nio.file.Path;
import nostr.blossom.server.BlobIndex;
import nostr.blossom.server.BlobIndexContract;
import nostr.relay.store.Storage;
import org.junit.jupiter.api.io.TempDir;

/** The Blossom blob index contract on the SQLite adapter. */
class SqliteBlobIndexTest extends BlobIndexContract {
    @TempDir
    Path dir;
    private Storage storage;

    @Override
    protected BlobIndex openFresh() throws Exception {
        storage = SqliteStorage.open(dir, SqliteOptions.defaults());
        return storage.blobs();
    }

    @Override
    protected BlobIndex reopen() throws Exception {
        storage.close();
        return openFresh();
    }

    @Override
    protected void closeIndex() {
        storage.close();
    }
}
