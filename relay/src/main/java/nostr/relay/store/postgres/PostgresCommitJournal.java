package nostr.relay.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.relay.store.CommitJournal;
import nostr.relay.store.EventSink;
import nostr.relay.store.EventStore;
import nostr.relay.store.Query;
import nostr.relay.store.StoreException;
import nostr.relay.store.StoredEvent;
import nostr.relay.store.Visibility;
import nostr.relay.store.WriteStatus;

/**
 * The commit journal in PostgreSQL (tables {@code cluster_heads} and {@code cluster_journal},
 * migration V6). Recording is one statement inside the writer's transaction: the origin's head row
 * is advanced by the number of stored events ({@code INSERT ... ON CONFLICT DO UPDATE}, which also
 * locks it, so even two writers under one name would get distinct numbers) and the entries are
 * inserted from arrays, numbered below the new head. Reads join the entries to {@code events} for
 * the raw JSON. Leases are session advisory locks held on a connection of their own, released by
 * PostgreSQL when the holder's session ends (also after kill -9).
 */
final class PostgresCommitJournal implements CommitJournal {
    /** Milliseconds by the database's clock: one clock for every node's entries. */
    private static final String DB_NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";
    private static final int PRUNE_CHUNK = 5_000;

    private final PostgresStorage storage;
    private final PostgresEventStore events;

    PostgresCommitJournal(PostgresStorage storage, PostgresEventStore events) {
        this.storage = storage;
        this.events = events;
    }

    @Override
    public EventStore recording(String origin, Recorder recorder) {
        return new Recording(origin, recorder);
    }

    /** Numbers {@code stored} under {@code origin} inside the caller's transaction; returns the entries in seq order. */
    private static List<Entry> record(Connection c, String origin, List<Event> stored) throws SQLException {
        if (stored.isEmpty()) {
            return List.of();
        }
        byte[][] ids = new byte[stored.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Hex.decode(stored.get(i).id());
        }
        long head;
        try (PreparedStatement ps = c.prepareStatement("WITH h AS (INSERT INTO cluster_heads AS ch (origin, seq, updated_at) "
                + "VALUES (?, ?, " + DB_NOW_MS + ") ON CONFLICT (origin) DO UPDATE SET seq = ch.seq + excluded.seq, "
                + "updated_at = excluded.updated_at RETURNING ch.seq) "
                + "INSERT INTO cluster_journal (origin, seq, event_id, committed_at) "
                + "SELECT ?, h.seq - ? + t.ord, t.id, " + DB_NOW_MS + " FROM h, unnest(?::bytea[]) WITH ORDINALITY AS t(id, ord) "
                + "RETURNING seq")) {
            ps.setString(1, origin);
            ps.setLong(2, stored.size());
            ps.setString(3, origin);
            ps.setLong(4, stored.size());
            ps.setArray(5, c.createArrayOf("bytea", ids));
            head = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    head = Math.max(head, rs.getLong(1));
                }
            }
        }
        long first = head - stored.size() + 1;
        List<Entry> out = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            Event e = stored.get(i);
            out.add(new Entry(first + i, e.id(), e.json()));
        }
        return out;
    }

    @Override
    public Map<String, Long> heads() throws StoreException {
        return storage.read(c -> {
            Map<String, Long> out = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT origin, seq FROM cluster_heads")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    @Override
    public List<Entry> read(String origin, long afterSeq, long untilSeq, int limit) throws StoreException {
        if (limit <= 0 || untilSeq <= afterSeq) {
            return List.of();
        }
        return storage.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT j.seq, j.event_id, e.json FROM cluster_journal AS j "
                    + "LEFT JOIN event_ids AS i ON i.id = j.event_id "
                    + "LEFT JOIN events AS e ON e.created_at = i.created_at AND e.id = i.id "
                    + "WHERE j.origin = ? AND j.seq > ? AND j.seq <= ? ORDER BY j.seq LIMIT ?")) {
                ps.setString(1, origin);
                ps.setLong(2, afterSeq);
                ps.setLong(3, untilSeq);
                ps.setInt(4, limit);
                List<Entry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong(1), Hex.encode(rs.getBytes(2)), rs.getString(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public int prune(Duration retention) throws StoreException {
        int total = 0;
        while (true) {
            int n = storage.maintain(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM cluster_journal WHERE ctid = ANY(ARRAY("
                        + "SELECT ctid FROM cluster_journal WHERE committed_at < " + DB_NOW_MS + " - ? LIMIT " + PRUNE_CHUNK + "))")) {
                    ps.setLong(1, retention.toMillis());
                    return ps.executeUpdate();
                }
            });
            total += n;
            if (n < PRUNE_CHUNK) {
                return total;
            }
        }
    }

    @Override
    public Lease lease(String origin) throws StoreException {
        AdvisoryLease lease = new AdvisoryLease(storage.options(), origin);
        try {
            if (!lease.acquire()) {
                throw new IllegalStateException("another relay node named '" + origin + "' is running on this database "
                        + "(node_id must be unique among running nodes)");
            }
        } catch (SQLException e) {
            lease.close();
            throw new StoreException("cannot claim node_id '" + origin + "': " + e.getMessage(), e);
        }
        return lease;
    }

    /** A session advisory lock on the origin's name, on a connection of its own. */
    private static final class AdvisoryLease implements Lease {
        private final PostgresOptions options;
        private final String origin;
        private Connection connection;

        AdvisoryLease(PostgresOptions options, String origin) {
            this.options = options;
            this.origin = origin;
        }

        synchronized boolean acquire() throws SQLException {
            closeConnection();
            Properties p = new Properties();
            p.setProperty("user", options.user());
            p.setProperty("password", options.password());
            p.setProperty("ApplicationName", "parrhesia-node-lease");
            p.setProperty("tcpKeepAlive", "true");
            p.setProperty("connectTimeout", String.valueOf(Math.max(1, options.connectionTimeout().toSeconds())));
            connection = DriverManager.getConnection(options.jdbcUrl(), p);
            connection.setAutoCommit(true);
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT pg_try_advisory_lock(hashtextextended('parrhesia node ' || ? || ' ' || ?, 0))")) {
                ps.setString(1, options.schema());
                ps.setString(2, origin);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                }
            }
            closeConnection();
            return false;
        }

        @Override
        public synchronized boolean renew() {
            try {
                if (connection != null && connection.isValid(2)) {
                    return true;
                }
                return acquire();
            } catch (SQLException e) {
                closeConnection();
                return false;
            }
        }

        private void closeConnection() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the session ends either way, and with it the lock
                }
                connection = null;
            }
        }

        @Override
        public synchronized void close() {
            closeConnection();
        }
    }

    /** The events store of one origin's writer: writes record journal entries in their transaction. */
    private final class Recording implements EventStore {
        private final String origin;
        private final Recorder recorder;

        Recording(String origin, Recorder recorder) {
            this.origin = origin;
            this.recorder = recorder;
        }

        @Override
        public List<WriteStatus> write(List<Event> batch) throws StoreException {
            List<Entry> entries = new ArrayList<>();
            List<WriteStatus> statuses = events.write(batch, (c, stored) -> entries.addAll(record(c, origin, stored)));
            tell(entries);
            return statuses;
        }

        @Override
        public Applied writeDeletionRequest(Event deletionRequest) throws StoreException {
            List<Entry> entries = new ArrayList<>();
            Applied applied = events.writeDeletionRequest(deletionRequest, (c, stored) -> entries.addAll(record(c, origin, stored)));
            tell(entries);
            return applied;
        }

        /** After the commit only: a failed transaction recorded nothing. */
        private void tell(List<Entry> entries) {
            if (!entries.isEmpty()) {
                recorder.recorded(List.copyOf(entries));
            }
        }

        @Override
        public Optional<StoredEvent> get(String id) throws StoreException {
            return events.get(id);
        }

        @Override
        public void query(Query query, EventSink sink) throws StoreException {
            events.query(query, sink);
        }

        @Override
        public long count(List<Filter> filters, long nowSeconds, Visibility visibility) throws StoreException {
            return events.count(filters, nowSeconds, visibility);
        }

        @Override
        public long countAuthors(List<Filter> filters, long nowSeconds, Visibility visibility, AuthorSink authors)
                throws StoreException {
            return events.countAuthors(filters, nowSeconds, visibility, authors);
        }

        @Override
        public int deleteByRequest(Event deletionRequest) throws StoreException {
            return events.deleteByRequest(deletionRequest);
        }

        @Override
        public int vanish(String pubkey, long untilSeconds) throws StoreException {
            return events.vanish(pubkey, untilSeconds);
        }

        @Override
        public int purgeExpired(long nowSeconds) throws StoreException {
            return events.purgeExpired(nowSeconds);
        }

        @Override
        public int purgeKindOlderThan(int kind, long cutoffSeconds) throws StoreException {
            return events.purgeKindOlderThan(kind, cutoffSeconds);
        }

        @Override
        public long size() throws StoreException {
            return events.size();
        }

        @Override
        public void scanItems(Filter filter, long nowSeconds, Visibility visibility, ItemSink sink) throws StoreException {
            events.scanItems(filter, nowSeconds, visibility, sink);
        }

        @Override
        public void setChangeListener(ChangeListener listener) {
            events.setChangeListener(listener);
        }
    }
}
