package nostr.relay.store.postgres;

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
 * Statistics, VACUUM (ANALYZE) and the post-vanish vacuum on the relay's PostgreSQL schema.
 *
 * <p>Sizes are {@code pg_total_relation_size} (heap, indexes, TOAST) summed over every table of
 * the schema, partitions included. {@code compact} vacuums each top-level table (a partitioned
 * table recurses into its partitions) in autocommit mode; it runs alongside readers and writers.
 */
final class PostgresMaintenance implements MaintenanceStore {
    /** Tables that hold event data; vacuumed after requests to vanish. */
    private static final List<String> EVENT_TABLES = List.of("events", "event_ids", "event_tags", "replaceable_heads");

    private final PostgresStorage storage;

    PostgresMaintenance(PostgresStorage storage) {
        this.storage = storage;
    }

    @Override
    public Stats stats() throws StoreException {
        return storage.read(c -> {
            Map<Integer, Long> byKind = new HashMap<>();
            long total = 0;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT kind, count(*) FROM events GROUP BY kind")) {
                while (rs.next()) {
                    byKind.put(rs.getInt(1), rs.getLong(2));
                    total += rs.getLong(2);
                }
            }
            OptionalLong oldest = single(c, "SELECT min(created_at) FROM events");
            OptionalLong newest = single(c, "SELECT max(created_at) FROM events");
            return new Stats(storage.name(), total, byKind, oldest, newest, sizeBytes(c));
        });
    }

    @Override
    public Compaction compact() throws StoreException {
        long before = storage.read(PostgresMaintenance::sizeBytes);
        List<String> actions = new ArrayList<>();
        storage.autocommit(c -> {
            for (String table : topLevelTables(c)) {
                String sql = "VACUUM (ANALYZE) " + quote(table);
                try (Statement st = c.createStatement()) {
                    st.execute(sql);
                }
                actions.add(sql);
            }
            return null;
        });
        return new Compaction(before, storage.read(PostgresMaintenance::sizeBytes), actions);
    }

    @Override
    public long vanishRequestCount() throws StoreException {
        return storage.read(c -> single(c, "SELECT count(*) FROM vanish_log").orElse(0));
    }

    @Override
    public void scrubDeleted() throws StoreException {
        storage.autocommit(c -> {
            for (String table : EVENT_TABLES) {
                try (Statement st = c.createStatement()) {
                    st.execute("VACUUM " + quote(table));
                }
            }
            return null;
        });
    }

    /** Tables of the current schema that are not partitions (VACUUM of a partitioned table covers them). */
    private static List<String> topLevelTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
                     + "ORDER BY c.relname")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private static long sizeBytes(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')")) {
            rs.next();
            return rs.getLong(1);
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

    /** A table name as a quoted identifier (names come from pg_class, quotes doubled anyway). */
    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
