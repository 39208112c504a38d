package nostr.relay.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.event.KindClass;
import nostr.core.filter.Filter;
import nostr.relay.store.EventSink;
import nostr.relay.store.EventStore;
import nostr.relay.store.Query;
import nostr.relay.store.StoreException;
import nostr.relay.store.StoredEvent;
import nostr.relay.store.WriteStatus;
import nostr.relay.store.sql.EventCursor;
import nostr.relay.store.sql.FilterPlan;
import nostr.relay.store.sql.IndexedTag;
import nostr.relay.store.sql.OrderedMerge;
import nostr.relay.store.sql.ResultSetCursor;
import nostr.relay.store.sql.SqlBuilder;

/**
 * Events in SQLite: batched writes with NIP-01 replacement rules, and streamed queries.
 *
 * <p>Writes: the batch is one transaction on the writer connection with statements prepared once.
 * A regular event is one {@code INSERT ... ON CONFLICT (id) DO NOTHING RETURNING seq} (no row back
 * means DUPLICATE) plus its tag rows. A replaceable or addressable event first reads the stored
 * version of its address (the partial unique index {@code events_address}); the newer one wins,
 * equal times go to the lower id, and the loser is deleted (tags follow by cascade) or reported
 * SUPERSEDED.
 *
 * <p>Queries: each filter becomes one statement on its driving index (see {@link SqliteFilterSql}),
 * all statements of a REQ run in one read transaction, and {@link OrderedMerge} interleaves their
 * cursors into NIP-01 order with duplicates and limits applied as rows stream to the sink.
 */
final class SqliteEventStore implements EventStore {
    private final SqliteStorage storage;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertTag;
    private final PreparedStatement findAddress;
    private final PreparedStatement deleteBySeq;

    SqliteEventStore(SqliteStorage storage, Connection writer) throws SQLException {
        this.storage = storage;
        this.insertEvent = writer.prepareStatement("INSERT INTO events (id, pubkey, created_at, kind, d_tag, "
                + "expires_at, json) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING seq");
        this.insertTag = writer.prepareStatement(
                "INSERT INTO event_tags (event_seq, name, value, created_at) VALUES (?, ?, ?, ?)");
        this.findAddress = writer.prepareStatement(
                "SELECT seq, id, created_at FROM events WHERE pubkey = ? AND kind = ? AND d_tag = ?");
        this.deleteBySeq = writer.prepareStatement("DELETE FROM events WHERE seq = ?");
    }

    void closeStatements() {
        for (Statement s : List.of(insertEvent, insertTag, findAddress, deleteBySeq)) {
            try {
                s.close();
            } catch (SQLException ignored) {
                // shutting down
            }
        }
    }

    @Override
    public List<WriteStatus> write(List<Event> batch) throws StoreException {
        if (batch.isEmpty()) {
            return List.of();
        }
        return storage.write(c -> {
            List<WriteStatus> out = new ArrayList<>(batch.size());
            for (Event e : batch) {
                out.add(writeOne(e));
            }
            return out;
        });
    }

    private WriteStatus writeOne(Event e) throws SQLException {
        byte[] id = Hex.decode(e.id());
        byte[] pubkey = Hex.decode(e.pubkey());
        String address = address(e);
        if (address != null) {
            findAddress.setBytes(1, pubkey);
            findAddress.setInt(2, e.kind());
            findAddress.setString(3, address);
            try (ResultSet rs = findAddress.executeQuery()) {
                if (rs.next()) {
                    long seq = rs.getLong(1);
                    byte[] storedId = rs.getBytes(2);
                    long storedAt = rs.getLong(3);
                    if (Arrays.equals(storedId, id)) {
                        return WriteStatus.DUPLICATE;
                    }
                    if (!replaces(e.createdAt(), id, storedAt, storedId)) {
                        return WriteStatus.SUPERSEDED;
                    }
                    rs.close();
                    deleteBySeq.setLong(1, seq);
                    deleteBySeq.executeUpdate();
                }
            }
        }
        insertEvent.setBytes(1, id);
        insertEvent.setBytes(2, pubkey);
        insertEvent.setLong(3, e.createdAt());
        insertEvent.setInt(4, e.kind());
        if (address == null) {
            insertEvent.setNull(5, Types.VARCHAR);
        } else {
            insertEvent.setString(5, address);
        }
        OptionalLong exp = e.expiration();
        if (exp.isPresent()) {
            insertEvent.setLong(6, exp.getAsLong());
        } else {
            insertEvent.setNull(6, Types.INTEGER);
        }
        insertEvent.setString(7, e.json());
        long seq;
        try (ResultSet rs = insertEvent.executeQuery()) {
            if (!rs.next()) {
                return WriteStatus.DUPLICATE;
            }
            seq = rs.getLong(1);
        }
        List<IndexedTag> tags = IndexedTag.of(e);
        if (!tags.isEmpty()) {
            for (IndexedTag t : tags) {
                insertTag.setLong(1, seq);
                insertTag.setString(2, t.name());
                insertTag.setString(3, t.value());
                insertTag.setLong(4, e.createdAt());
                insertTag.addBatch();
            }
            insertTag.executeBatch();
        }
        return WriteStatus.STORED;
    }

    /** The replacement address column: "" for replaceable kinds, the d tag for addressable, else null. */
    static String address(Event e) {
        KindClass k = e.kindClass();
        if (k == KindClass.REPLACEABLE) {
            return "";
        }
        return k == KindClass.ADDRESSABLE ? e.dTag() : null;
    }

    /** NIP-01: the newer event wins; on equal created_at the lower id (as bytes, as lowercase hex). */
    static boolean replaces(long createdAt, byte[] id, long storedAt, byte[] storedId) {
        return createdAt > storedAt || (createdAt == storedAt && Arrays.compareUnsigned(id, storedId) < 0);
    }

    @Override
    public Optional<StoredEvent> get(String id) throws StoreException {
        if (!Hex.isLowerHex(id, 64)) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis() / 1000;
        return storage.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SqliteFilterSql.COLUMNS
                    + " FROM events AS e WHERE e.id = ? AND (e.expires_at IS NULL OR e.expires_at > ?)")) {
                ps.setBytes(1, Hex.decode(id));
                ps.setLong(2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(ResultSetCursor.read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void query(Query query, EventSink sink) throws StoreException {
        if (query.totalLimit() == 0 || query.parts().isEmpty()) {
            return;
        }
        for (Query.Part p : query.parts()) {
            refuseSearch(p.filter());
        }
        storage.read(c -> {
            List<EventCursor> parts = new ArrayList<>();
            try (OrderedMerge merged = open(c, query, parts)) {
                while (merged.next()) {
                    if (!sink.accept(merged.current())) {
                        break;
                    }
                }
            }
            return null;
        });
    }

    private static OrderedMerge open(Connection c, Query query, List<EventCursor> parts) throws SQLException {
        try {
            for (Query.Part part : query.parts()) {
                FilterPlan plan = FilterPlan.of(part.filter());
                if (part.limit() <= 0 || plan.driver() == FilterPlan.Driver.NOTHING) {
                    continue;
                }
                long sqlLimit = (long) part.limit() * plan.rowsPerEvent();
                EventCursor rows = new ResultSetCursor(SqliteFilterSql.select(plan, query.nowSeconds(), sqlLimit).prepare(c));
                parts.add(OrderedMerge.of(List.of(rows), part.limit()));
            }
            return OrderedMerge.of(parts, query.totalLimit());
        } catch (SQLException | RuntimeException e) {
            for (EventCursor p : parts) {
                try {
                    p.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    @Override
    public long count(List<Filter> filters, long nowSeconds) throws StoreException {
        SqlBuilder union = new SqlBuilder();
        for (Filter f : filters) {
            refuseSearch(f);
            FilterPlan plan = FilterPlan.of(f);
            if (plan.driver() == FilterPlan.Driver.NOTHING) {
                continue;
            }
            if (!union.text().isEmpty()) {
                union.sql(" UNION ALL ");
            }
            union.append(SqliteFilterSql.seqs(plan, nowSeconds));
        }
        if (union.text().isEmpty()) {
            return 0;
        }
        SqlBuilder sql = new SqlBuilder().sql("SELECT count(DISTINCT seq) FROM (").append(union).sql(")");
        return storage.read(c -> {
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static void refuseSearch(Filter f) throws StoreException {
        if (FilterPlan.isSearch(f)) {
            throw new StoreException("NIP-50 search is not supported by the sqlite adapter yet");
        }
    }

    @Override
    public int deleteByRequest(Event deletionRequest) throws StoreException {
        throw new UnsupportedOperationException("NIP-09 deletion is not there yet in the sqlite adapter");
    }

    @Override
    public int vanish(String pubkey, long untilSeconds) throws StoreException {
        throw new UnsupportedOperationException("NIP-62 vanish is not there yet in the sqlite adapter");
    }

    @Override
    public int purgeExpired(long nowSeconds) throws StoreException {
        return storage.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM events WHERE expires_at IS NOT NULL AND expires_at <= ?")) {
                ps.setLong(1, nowSeconds);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long size() throws StoreException {
        return storage.read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }
}
