package nostr.relay.store.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import nostr.relay.store.QueryModelContract;
import nostr.relay.store.Storage;

/** NIP-01 query semantics property on the SQLite adapter. */
class SqliteQueryModelTest extends QueryModelContract {
    private Path dir;

    @Override
    protected Storage openFresh() throws Exception {
        dir = Files.createTempDirectory("parrhesia-sqlite-model");
        return SqliteStorage.open(dir, SqliteOptions.defaults());
    }

    @Override
    protected void cleanUp() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
