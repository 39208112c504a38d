package nostr.relay.store.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import nostr.relay.store.ReplaceableConflictContract;
import nostr.relay.store.Storage;

/** NIP-01 replaceable/addressable conflict properties on the SQLite adapter. */
class SqliteReplaceableConflictTest extends ReplaceableConflictContract {
    private Path dir;

    @Override
    protected Storage openFresh() throws Exception {
        dir = Files.createTempDirectory("parrhesia-sqlite-props");
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
