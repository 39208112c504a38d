package nostr.relay.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** Background jobs of a running relay on the SQLite adapter. */
class SqliteJobsTest extends JobsContract {
    @Override
    protected Storage openStorage() throws Exception {
        Path dir = Files.createTempDirectory("jobs-sqlite");
        dir.toFile().deleteOnExit();
        return SqliteStorage.open(dir, SqliteOptions.defaults());
    }
}
