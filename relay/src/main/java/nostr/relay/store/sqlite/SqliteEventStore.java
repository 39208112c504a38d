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
import nostr.relay.store.Visibility;
import nostr.relay.store.WriteStatus;
import nostr.relay.store.sql.AscendingItems;
import nostr.relay.store.sql.Checks;
import nostr.relay.store.sql.DeletionTargets;
import nostr.relay.store.sql.EventCursor;
import nostr.relay.store.sql.FilterPlan;
import nostr.relay.store.sql.IndexedTag;
import nostr.relay.store.sql.QueryCursors;
import nostr.relay.store.sql.SearchText;
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
 * or one per value when its driving list holds several (authors x kinds, kinds, tag values: each
 * streams its index in NIP-01 order, see {@link nostr.relay.store.sql.FilterPlan#split}); all
 * statements of a REQ run in one read transaction, and {@link QueryCursors} interleaves their
 * cursors into NIP-01 order (search filters first, by rank) with duplicates and limits applied as
 * rows stream to the sink.
 */
final class SqliteEventStore implements EventStore {
    private static final QueryCursors.PartStatement SELECT =
            (c, plan, now, limit) -> SqliteFilterSql.select(plan, now, limit).prepare(c);
    /** NIP-59 gift wrap: removed with its p-tagged recipient's request to vanish (NIP-62). */
    static final int GIFT_WRAP = 1059;
    /** Rows deleted per transaction by {@link #purgeKindOlderThan}. */
    private static final int PURGE_CHUNK = 5000;

    private final SqliteStorage storage;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertTag;
    private final PreparedStatement findAddress;
    private final PreparedStatement deleteBySeq;
    private final PreparedStatement vanishedUntil;
    private final PreparedStatement bannedId;
    private final PreparedStatement deletedId;
    private final PreparedStatement deletedAddressUntil;
    private final PreparedStatement insertSearch;

    SqliteEventStore(SqliteStorage storage, Connection writer) throws SQLException {
        this.storage = storage;
        this.insertEvent = writer.prepareStatement("INSERT INTO events (id, pubkey, created_at, kind, d_tag, "
                + "expires_at, json) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING seq");
        this.insertTag = writer.prepareStatement(
                "INSERT INTO event_tags (event_seq, name, value, created_at) VALUES (?, ?, ?, ?)");
        this.findAddress = writer.prepareStatement(
                "SELECT seq, id, created_at FROM events WHERE pubkey = ? AND kind = ? AND d_tag = ?");
        this.deleteBySeq = writer.prepareStatement("DELETE FROM events WHERE seq = ?");
        this.vanishedUntil = writer.prepareStatement("SELECT until FROM vanished WHERE pubkey = ?");
        this.bannedId = writer.prepareStatement("SELECT 1 FROM banned_events WHERE id = ?");
        this.deletedId = writer.prepareStatement("SELECT 1 FROM deleted_events WHERE id = ? AND pubkey = ?");
        this.deletedAddressUntil = writer.prepareStatement(
                "SELECT until FROM deleted_addresses WHERE pubkey = ? AND kind = ? AND d_tag = ?");
        this.insertSearch = writer.prepareStatement("INSERT INTO events_fts (rowid, content) VALUES (?, ?)");
    }

    void closeStatements() {
        for (Statement s : List.of(insertEvent, insertTag, findAddress, deleteBySeq, vanishedUntil, bannedId, deletedId,
                deletedAddressUntil, insertSearch)) {
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
        WriteStatus refused = refusal(e, id, pubkey, address);
        if (refused != null) {
            return refused;
        }
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
                    if (deleteBySeq.executeUpdate() > 0) {
                        storage.changes().removed(storedAt, storedId);
                    }
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
                if (SqliteFilterSql.tagKey(t.value()) instanceof byte[] key) {
                    insertTag.setBytes(3, key);
                } else {
                    insertTag.setString(3, t.value());
                }
                insertTag.setLong(4, e.createdAt());
                insertTag.addBatch();
            }
            insertTag.executeBatch();
        }
        String text = SearchText.of(e);
        if (text != null) {
            insertSearch.setLong(1, seq);
            insertSearch.setString(2, text);
            insertSearch.executeUpdate();
        }
        storage.changes().stored(e.createdAt(), id, e.kind(), exp.orElse(0));
        return WriteStatus.STORED;
    }

    /**
     * VANISHED when its author (or, for a gift wrap, a p-tagged recipient) asked to vanish after
     * it was created; DELETED when the operator banned its id, a NIP-09 request by its author named
     * its id, or an {@code a} tag covered its address at its created_at; else null.
     */
    private WriteStatus refusal(Event e, byte[] id, byte[] pubkey, String address) throws SQLException {
        if (vanishedAfter(pubkey, e.createdAt())) {
            return WriteStatus.VANISHED;
        }
        if (e.kind() == GIFT_WRAP) {
            for (String p : e.tagValues("p")) {
                if (Hex.isLowerHex(p, 64) && vanishedAfter(Hex.decode(p), e.createdAt())) {
                    return WriteStatus.VANISHED;
                }
            }
        }
        bannedId.setString(1, e.id());
        if (exists(bannedId)) {
            return WriteStatus.DELETED;
        }
        if (!DeletionTargets.UNDELETABLE_KINDS.contains(e.kind())) {
            deletedId.setBytes(1, id);
            deletedId.setBytes(2, pubkey);
            if (exists(deletedId)) {
                return WriteStatus.DELETED;
            }
        }
        if (address != null) {
            deletedAddressUntil.setBytes(1, pubkey);
            deletedAddressUntil.setInt(2, e.kind());
            deletedAddressUntil.setString(3, address);
            try (ResultSet rs = deletedAddressUntil.executeQuery()) {
                if (rs.next() && e.createdAt() <= rs.getLong(1)) {
                    return WriteStatus.DELETED;
                }
            }
        }
        return null;
    }

    private boolean vanishedAfter(byte[] pubkey, long createdAt) throws SQLException {
        vanishedUntil.setBytes(1, pubkey);
        try (ResultSet rs = vanishedUntil.executeQuery()) {
            return rs.next() && createdAt <= rs.getLong(1);
        }
    }

    private static boolean exists(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
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
        storage.read(c -> {
            try (EventCursor merged = QueryCursors.open(c, query, SELECT, SqliteFilterSql.MAX_PIECES)) {
                while (merged.next()) {
                    if (!sink.accept(merged.current())) {
                        break;
                    }
                }
            }
            return null;
        });
    }

    @Override
    public long count(List<Filter> filters, long nowSeconds, Visibility visibility) throws StoreException {
        SqlBuilder union = FilterPlan.union(filters, visibility, "UNION ALL", plan -> SqliteFilterSql.seqs(plan, nowSeconds));
        if (union == null) {
            return 0;
        }
        SqlBuilder sql = new SqlBuilder().sql("SELECT count(DISTINCT seq) FROM (").append(union).sql(")");
        return storage.read(c -> {
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public long countAuthors(List<Filter> filters, long nowSeconds, Visibility visibility, AuthorSink authors)
            throws StoreException {
        SqlBuilder union = FilterPlan.union(filters, visibility, "UNION", plan -> SqliteFilterSql.seqs(plan, nowSeconds));
        if (union == null) {
            return 0;
        }
        // The union is distinct seqs (SQLite materializes it once); each is then one rowid lookup.
        SqlBuilder sql = new SqlBuilder().sql("SELECT pubkey FROM events WHERE seq IN (").append(union).sql(")");
        return storage.read(c -> {
            long n = 0;
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                    if (!authors.accept(rs.getBytes(1))) {
                        break;
                    }
                }
            }
            return n;
        });
    }

    @Override
    public int deleteByRequest(Event deletionRequest) throws StoreException {
        DeletionTargets t = DeletionTargets.of(deletionRequest);
        return storage.write(c -> applyDeletion(c, t));
    }

    @Override
    public Applied writeDeletionRequest(Event deletionRequest) throws StoreException {
        DeletionTargets t = DeletionTargets.of(deletionRequest);
        return storage.write(c -> {
            WriteStatus status = writeOne(deletionRequest);
            if (status != WriteStatus.STORED && status != WriteStatus.DUPLICATE) {
                return new Applied(status, 0);
            }
            return new Applied(status, applyDeletion(c, t));
        });
    }

    /** Removes what {@code t} names and remembers it, inside the caller's write transaction. */
    private int applyDeletion(Connection c, DeletionTargets t) throws SQLException {
        byte[] requester = Hex.decode(t.pubkey());
        long now = System.currentTimeMillis() / 1000;
        int removed = 0;
        try (PreparedStatement remember = c.prepareStatement(
                "INSERT INTO deleted_events (id, pubkey, deleted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM events WHERE id = ? AND pubkey = ? AND kind NOT IN (5, 62) RETURNING created_at, id")) {
            for (String id : t.ids()) {
                remember.setBytes(1, Hex.decode(id));
                remember.setBytes(2, requester);
                remember.setLong(3, now);
                remember.executeUpdate();
                delete.setBytes(1, Hex.decode(id));
                delete.setBytes(2, requester);
                removed += removedRows(delete);
            }
        }
        try (PreparedStatement remember = c.prepareStatement("INSERT INTO deleted_addresses (pubkey, kind, d_tag, until) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (pubkey, kind, d_tag) DO UPDATE SET until = max(until, excluded.until)");
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM events WHERE pubkey = ? AND kind = ? AND d_tag = ? AND created_at <= ? RETURNING created_at, id")) {
            for (DeletionTargets.Address a : t.addresses()) {
                remember.setBytes(1, requester);
                remember.setInt(2, a.kind());
                remember.setString(3, a.d());
                remember.setLong(4, t.until());
                remember.executeUpdate();
                delete.setBytes(1, requester);
                delete.setInt(2, a.kind());
                delete.setString(3, a.d());
                delete.setLong(4, t.until());
                removed += removedRows(delete);
            }
        }
        return removed;
    }

    /**
     * Deletes the pubkey's events and the gift wraps p-tagged to it, created at or before
     * {@code untilSeconds}, with SQLite's secure_delete on so the freed pages are zeroed.
     */
    @Override
    public int vanish(String pubkey, long untilSeconds) throws StoreException {
        if (!Hex.isLowerHex(pubkey, 64)) {
            throw new IllegalArgumentException("pubkey must be 64 lowercase hex characters, got '" + pubkey + "'");
        }
        byte[] key = Hex.decode(pubkey);
        return storage.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA secure_delete = ON");
            }
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO vanished (pubkey, until) VALUES (?, ?) "
                        + "ON CONFLICT (pubkey) DO UPDATE SET until = max(until, excluded.until)")) {
                    ps.setBytes(1, key);
                    ps.setLong(2, untilSeconds);
                    ps.executeUpdate();
                }
                int removed;
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM events WHERE pubkey = ? AND created_at <= ? RETURNING created_at, id")) {
                    ps.setBytes(1, key);
                    ps.setLong(2, untilSeconds);
                    removed = removedRows(ps);
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE kind = " + GIFT_WRAP
                        + " AND seq IN (SELECT event_seq FROM event_tags WHERE name = 'p' AND value = ? AND created_at <= ?)"
                        + " RETURNING created_at, id")) {
                    ps.setBytes(1, key);
                    ps.setLong(2, untilSeconds);
                    removed += removedRows(ps);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO vanish_log (pubkey, until, requested_at, removed) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, pubkey);
                    ps.setLong(2, untilSeconds);
                    ps.setLong(3, System.currentTimeMillis() / 1000);
                    ps.setLong(4, removed);
                    ps.executeUpdate();
                }
                return removed;
            } finally {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA secure_delete = OFF");
                }
            }
        });
    }

    /** Deletes the events with these ids (tags follow by cascade); returns how many were stored. */
    int removeEvents(Connection c, List<String> ids) throws SQLException {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE id = ? RETURNING created_at, id")) {
            for (String id : ids) {
                if (Hex.isLowerHex(id, 64)) {
                    ps.setBytes(1, Hex.decode(id));
                    n += removedRows(ps);
                }
            }
        }
        return n;
    }

    /** Runs a {@code DELETE ... RETURNING created_at, id}, reporting each row removed; returns how many. */
    private int removedRows(PreparedStatement delete) throws SQLException {
        int n = 0;
        try (ResultSet rs = delete.executeQuery()) {
            while (rs.next()) {
                storage.changes().removed(rs.getLong(1), rs.getBytes(2));
                n++;
            }
        }
        return n;
    }

    @Override
    public int purgeKindOlderThan(int kind, long cutoffSeconds) throws StoreException {
        Checks.kind(kind);
        int total = 0;
        while (true) {
            // In chunks: the single writer connection is shared with ingest.
            int n = storage.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE seq IN (SELECT seq FROM events "
                        + "INDEXED BY events_kind WHERE kind = ? AND created_at < ? LIMIT " + PURGE_CHUNK + ") "
                        + "RETURNING created_at, id")) {
                    ps.setInt(1, kind);
                    ps.setLong(2, cutoffSeconds);
                    return removedRows(ps);
                }
            });
            total += n;
            if (n < PURGE_CHUNK) {
                return total;
            }
        }
    }

    @Override
    public int purgeExpired(long nowSeconds) throws StoreException {
        return storage.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM events WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING created_at, id")) {
                ps.setLong(1, nowSeconds);
                return removedRows(ps);
            }
        });
    }

    @Override
    public void scanItems(Filter filter, long nowSeconds, Visibility visibility, ItemSink sink) throws StoreException {
        FilterPlan plan = FilterPlan.of(filter, visibility);
        if (plan.driver() == FilterPlan.Driver.NOTHING) {
            return;
        }
        SqlBuilder sql = SqliteFilterSql.items(plan, nowSeconds);
        storage.read(c -> {
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                return new AscendingItems(sink).drain(rs);
            }
        });
    }

    @Override
    public void setChangeListener(ChangeListener listener) {
        storage.changes().setListener(listener);
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
