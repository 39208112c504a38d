package nostr.relay.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import nostr.relay.store.MaintenanceStore;
import nostr.relay.store.StoreException;

/**
 * Statistics, VACUUM and the post-vanish scrub on the SQLite file.
 *
 * <p>Counts come from one read snapshot. {@code compact} runs on the writer connection under the
 * write lock, outside a transaction as VACUUM requires: checkpoint, VACUUM (which in WAL mode
 * writes the new image through the WAL), checkpoint again with TRUNCATE so the file shrinks and
 * the WAL is emptied, then {@code PRAGMA optimize}. The scrub merges the contentless FTS5 index,
 * whose deletions leave the words of deleted documents in older segments until a merge, and
 * truncates the WAL, which may still hold page images of deleted rows.
 */
final class SqliteMaintenance implements MaintenanceStore {
    private final SqliteStorage storage;

    SqliteMaintenance(SqliteStorage storage) {
        this.storage = storage;
    }

    @Override
    public Stats stats() throws StoreException {
        return storage.read(c -> {
            Map<Integer, Long> byKind = new HashMap<>();
            long total = 0;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT kind, count(*) FROM events INDEXED BY events_kind GROUP BY kind")) {
                while (rs.next()) {
                    byKind.put(rs.getInt(1), rs.getLong(2));
                    total += rs.getLong(2);
                }
            }
            // Two statements: SQLite answers a lone min() or max() from the index, not both at once.
            OptionalLong oldest = single(c, "SELECT min(created_at) FROM events");
            OptionalLong newest = single(c, "SELECT max(created_at) FROM events");
            return new Stats(storage.name(), total, byKind, oldest, newest, sizeBytes());
        });
    }

    @Override
    public Compaction compact() throws StoreException {
        long before = sizeBytes();
        List<String> actions = new ArrayList<>();
        storage.exclusive(c -> {
            actions.add(checkpoint(c, "PASSIVE"));
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM");
                actions.add("VACUUM");
            }
            actions.add(checkpoint(c, "TRUNCATE"));
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA optimize");
                actions.add("PRAGMA optimize");
            }
            return null;
        });
        return new Compaction(before, sizeBytes(), actions);
    }

    @Override
    public long vanishRequestCount() throws StoreException {
        return storage.read(c -> single(c, "SELECT count(*) FROM vanish_log").orElse(0));
    }

    @Override
    public void scrubDeleted() throws StoreException {
        storage.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO events_fts (events_fts) VALUES ('optimize')");
            }
            return null;
        });
        storage.exclusive(c -> checkpoint(c, "TRUNCATE"));
    }

    /** Runs a WAL checkpoint; the text says whether readers kept part of the WAL alive. */
    private static String checkpoint(Connection c, String mode) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            boolean busy = rs.next() && rs.getInt(1) != 0;
            return "PRAGMA wal_checkpoint(" + mode + ")" + (busy ? " (incomplete: readers were active)" : "");
        }
    }

    private static OptionalLong single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (rs.next()) {
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
            return OptionalLong.empty();
        }
    }

    private long sizeBytes() throws StoreException {
        Path file = storage.file();
        return size(file) + size(file.resolveSibling(file.getFileName() + "-wal"));
    }

    private static long size(Path p) throws StoreException {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            throw new StoreException("cannot read the size of " + p + ": " + e.getMessage(), e);
        }
    }
}
