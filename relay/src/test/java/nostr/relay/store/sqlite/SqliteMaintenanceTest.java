package nostr.relay.store.sqlite;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import nostr.core.keys.SecretKey;
import nostr.relay.store.MaintenanceStoreContract;
import nostr.relay.store.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance contract on the SQLite adapter, plus what only SQLite has: the words of vanished
 * events stay in the contentless FTS5 index's segments until {@code scrubDeleted} merges them.
 */
class SqliteMaintenanceTest extends MaintenanceStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Storage openFresh() throws Exception {
        return SqliteStorage.open(dir, SqliteOptions.defaults());
    }

    @Override
    protected Storage reopen() throws Exception {
        return SqliteStorage.open(dir, SqliteOptions.defaults());
    }

    @Override
    protected boolean compactShrinksAfterDeletion() {
        return true;
    }

    @Test
    void nip62ScrubRemovesTheWordsOfVanishedEventsFromTheSearchIndex() throws Exception {
        SecretKey gone = SecretKey.generate();
        String secret = "zyxwvutsecretword";
        events.write(List.of(event(gone, 1, 1_700_000_000L, "my " + secret + " here"),
                event(SecretKey.generate(), 1, 1_700_000_000L, "other words stay")));
        events.vanish(gone.publicKey().hex(), 1_700_000_000L);
        assertTrue(indexHolds(secret), "FTS5 deletions leave the words in older segments");
        maintenance.scrubDeleted();
        assertFalse(indexHolds(secret));
        assertTrue(indexHolds("stay"));
    }

    /** Reads the FTS5 index's raw segment blocks from a separate connection. */
    private boolean indexHolds(String word) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT block FROM events_fts_data")) {
            while (rs.next()) {
                byte[] b = rs.getBytes(1);
                if (b != null && new String(b, StandardCharsets.ISO_8859_1).contains(word)) {
                    return true;
                }
            }
            return false;
        }
    }
}
