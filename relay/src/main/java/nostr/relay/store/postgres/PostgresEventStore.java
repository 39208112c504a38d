package nostr.relay.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import nostr.relay.store.sql.ChangeCapture;
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
 * Events in PostgreSQL: batched writes with NIP-01 replacement rules, streamed queries.
 *
 * <p>A batch is one transaction with a handful of round trips whatever its size: regular events
 * claim their ids with one {@code INSERT INTO event_ids ... SELECT FROM unnest(arrays) ON CONFLICT
 * DO NOTHING RETURNING id} (an id not returned is a DUPLICATE, also within the batch), then all
 * stored events and all their tag rows go in with one array insert each. Replaceable and
 * addressable events are resolved one by one, in batch order, against {@code replaceable_heads}:
 * the head row is locked ({@code FOR UPDATE}) so that relay nodes sharing the database decide a
 * conflict identically (newer created_at, then lower id); the replaced version is deleted in the
 * same transaction.
 *
 * <p>Queries run each filter as one statement (see {@link PostgresFilterSql}) with a server-side
 * cursor (fetch size 256) inside one read-only transaction, merged by {@link QueryCursors}.
 */
final class PostgresEventStore implements EventStore {
    private static final QueryCursors.PartStatement SELECT = (c, plan, now, limit) -> {
        PreparedStatement ps = PostgresFilterSql.select(plan, now, limit).prepare(c);
        ps.setFetchSize((int) Math.min(256, limit));
        return ps;
    };
    /** NIP-59 gift wrap: removed with its p-tagged recipient's request to vanish (NIP-62). */
    static final int GIFT_WRAP = 1059;
    private static final int PURGE_CHUNK = 5_000;

    private final PostgresStorage storage;
    private final PostgresPartitions partitions;

    PostgresEventStore(PostgresStorage storage, PostgresPartitions partitions) {
        this.storage = storage;
        this.partitions = partitions;
    }

    @Override
    public List<WriteStatus> write(List<Event> batch) throws StoreException {
        return write(batch, null);
    }

    /** Work done inside a write's transaction with the events it stored (cluster mode's commit journal). */
    @FunctionalInterface
    interface StoredHook {
        void stored(Connection c, List<Event> stored) throws SQLException;
    }

    /** {@link #write(List)}, running {@code hook} (if any) in the same transaction. */
    List<WriteStatus> write(List<Event> batch, StoredHook hook) throws StoreException {
        if (batch.isEmpty()) {
            return List.of();
        }
        partitions.ensureFor(batch, System.currentTimeMillis() / 1000);
        return storage.ingest(c -> {
            List<WriteStatus> statuses = new BatchWrite(c, batch, storage.changes()).run();
            if (hook != null) {
                List<Event> stored = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    if (statuses.get(i) == WriteStatus.STORED) {
                        stored.add(batch.get(i));
                    }
                }
                hook.stored(c, stored);
            }
            return statuses;
        });
    }

    /** One batch: the statuses, what to insert and what the batch replaced. */
    private static final class BatchWrite {
        private final Connection c;
        private final ChangeCapture changes;
        private final List<Event> batch;
        private final WriteStatus[] status;
        /** Events to insert, by id (hex), in batch order. */
        private final Map<String, Event> toInsert = new LinkedHashMap<>();
        private final List<Long> replacedAt = new ArrayList<>();
        private final List<byte[]> replacedIds = new ArrayList<>();
        private final List<byte[]> releasedIds = new ArrayList<>();
        /** Ids replaced in this batch whose event_ids rows are deleted at the end of it. */
        private final Set<String> released = new HashSet<>();

        BatchWrite(Connection c, List<Event> batch, ChangeCapture changes) {
            this.c = c;
            this.changes = changes;
            this.batch = batch;
            this.status = new WriteStatus[batch.size()];
        }

        List<WriteStatus> run() throws SQLException {
            refusals();
            claimRegularIds();
            for (int i = 0; i < batch.size(); i++) {
                if (status[i] == null) {
                    status[i] = writeReplaceable(batch.get(i));
                }
            }
            deleteReplaced();
            insertEvents();
            return List.of(status);
        }

        /**
         * Marks the events a deletion, ban or request to vanish covers (see {@link WriteStatus}),
         * with one query for the whole batch.
         */
        private void refusals() throws SQLException {
            int n = batch.size();
            String[] hexIds = new String[n];
            byte[][] ids = new byte[n][];
            Set<String> pubkeys = new LinkedHashSet<>();
            List<byte[]> addrPubkeys = new ArrayList<>();
            List<Integer> addrKinds = new ArrayList<>();
            List<byte[]> addrKeys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Event e = batch.get(i);
                hexIds[i] = e.id();
                ids[i] = Hex.decode(e.id());
                pubkeys.add(e.pubkey());
                if (e.kind() == GIFT_WRAP) {
                    for (String p : e.tagValues("p")) {
                        if (Hex.isLowerHex(p, 64)) {
                            pubkeys.add(p);
                        }
                    }
                }
                byte[] d = dKey(e);
                if (d != null) {
                    addrPubkeys.add(Hex.decode(e.pubkey()));
                    addrKinds.add(e.kind());
                    addrKeys.add(d);
                }
            }
            Set<String> banned = new HashSet<>();
            Set<String> deleted = new HashSet<>();
            Map<String, Long> vanished = new HashMap<>();
            Map<String, Long> deletedAddresses = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1, decode(id, 'hex'), NULL::bytea, NULL::int4, NULL::int8 FROM banned_events WHERE id = ANY(?::text[]) "
                    + "UNION ALL SELECT 2, id, pubkey, NULL, NULL FROM deleted_events WHERE id = ANY(?::bytea[]) "
                    + "UNION ALL SELECT 3, pubkey, NULL, NULL, until FROM vanished WHERE pubkey = ANY(?::bytea[]) "
                    + "UNION ALL SELECT 4, d.pubkey, d.d_key, d.kind, d.until FROM deleted_addresses AS d "
                    + "JOIN unnest(?::bytea[], ?::int4[], ?::bytea[]) AS a(pubkey, kind, d_key) "
                    + "ON d.pubkey = a.pubkey AND d.kind = a.kind AND d.d_key = a.d_key")) {
                ps.setArray(1, c.createArrayOf("text", hexIds));
                ps.setArray(2, c.createArrayOf("bytea", ids));
                ps.setArray(3, c.createArrayOf("bytea", pubkeys.stream().map(Hex::decode).toArray(byte[][]::new)));
                ps.setArray(4, c.createArrayOf("bytea", addrPubkeys.toArray(new byte[0][])));
                ps.setArray(5, c.createArrayOf("int4", addrKinds.toArray(new Integer[0])));
                ps.setArray(6, c.createArrayOf("bytea", addrKeys.toArray(new byte[0][])));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String a = Hex.encode(rs.getBytes(2));
                        switch (rs.getInt(1)) {
                            case 1 -> banned.add(a);
                            case 2 -> deleted.add(a + Hex.encode(rs.getBytes(3)));
                            case 3 -> vanished.put(a, rs.getLong(5));
                            default -> deletedAddresses.put(a + ":" + rs.getInt(4) + ":" + Hex.encode(rs.getBytes(3)), rs.getLong(5));
                        }
                    }
                }
            }
            if (banned.isEmpty() && deleted.isEmpty() && vanished.isEmpty() && deletedAddresses.isEmpty()) {
                return;
            }
            for (int i = 0; i < n; i++) {
                Event e = batch.get(i);
                if (vanishedAt(vanished, e.pubkey(), e.createdAt())) {
                    status[i] = WriteStatus.VANISHED;
                    continue;
                }
                if (e.kind() == GIFT_WRAP && e.tagValues("p").stream().anyMatch(p -> vanishedAt(vanished, p, e.createdAt()))) {
                    status[i] = WriteStatus.VANISHED;
                    continue;
                }
                if (banned.contains(e.id())
                        || (!DeletionTargets.UNDELETABLE_KINDS.contains(e.kind()) && deleted.contains(e.id() + e.pubkey()))) {
                    status[i] = WriteStatus.DELETED;
                    continue;
                }
                byte[] d = dKey(e);
                if (d != null) {
                    Long until = deletedAddresses.get(e.pubkey() + ":" + e.kind() + ":" + Hex.encode(d));
                    if (until != null && e.createdAt() <= until) {
                        status[i] = WriteStatus.DELETED;
                    }
                }
            }
        }

        private static boolean vanishedAt(Map<String, Long> vanished, String pubkey, long createdAt) {
            Long until = vanished.get(pubkey);
            return until != null && createdAt <= until;
        }

        private void claimRegularIds() throws SQLException {
            List<Integer> regular = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (status[i] == null && dKey(batch.get(i)) == null) {
                    regular.add(i);
                }
            }
            if (regular.isEmpty()) {
                return;
            }
            byte[][] ids = new byte[regular.size()][];
            Long[] at = new Long[regular.size()];
            for (int j = 0; j < regular.size(); j++) {
                Event e = batch.get(regular.get(j));
                ids[j] = Hex.decode(e.id());
                at[j] = e.createdAt();
            }
            Set<String> claimed = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_ids (id, created_at) "
                    + "SELECT * FROM unnest(?::bytea[], ?::int8[]) ON CONFLICT DO NOTHING RETURNING id")) {
                ps.setArray(1, c.createArrayOf("bytea", ids));
                ps.setArray(2, c.createArrayOf("int8", at));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(Hex.encode(rs.getBytes(1)));
                    }
                }
            }
            for (int i : regular) {
                Event e = batch.get(i);
                if (claimed.remove(e.id())) {
                    status[i] = WriteStatus.STORED;
                    toInsert.put(e.id(), e);
                } else {
                    status[i] = WriteStatus.DUPLICATE;
                }
            }
        }

        private WriteStatus writeReplaceable(Event e) throws SQLException {
            byte[] id = Hex.decode(e.id());
            byte[] pubkey = Hex.decode(e.pubkey());
            byte[] dKey = dKey(e);
            if (released.contains(e.id())) {
                // Replaced earlier in this batch (its id row goes at the end): the head that beat it
                // is newer, and heads only move forward.
                return WriteStatus.SUPERSEDED;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO event_ids (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                ps.setBytes(1, id);
                ps.setLong(2, e.createdAt());
                if (ps.executeUpdate() == 0) {
                    return WriteStatus.DUPLICATE;
                }
            }
            for (int attempt = 0; ; attempt++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT created_at, id FROM replaceable_heads "
                        + "WHERE pubkey = ? AND kind = ? AND d_key = ? FOR UPDATE")) {
                    ps.setBytes(1, pubkey);
                    ps.setInt(2, e.kind());
                    ps.setBytes(3, dKey);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            long storedAt = rs.getLong(1);
                            byte[] storedId = rs.getBytes(2);
                            if (!replaces(e.createdAt(), id, storedAt, storedId)) {
                                release(id);
                                return WriteStatus.SUPERSEDED;
                            }
                            updateHead(pubkey, e.kind(), dKey, e.createdAt(), id);
                            replaced(storedAt, storedId);
                            toInsert.put(e.id(), e);
                            return WriteStatus.STORED;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO replaceable_heads "
                        + "(pubkey, kind, d_key, created_at, id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    ps.setBytes(1, pubkey);
                    ps.setInt(2, e.kind());
                    ps.setBytes(3, dKey);
                    ps.setLong(4, e.createdAt());
                    ps.setBytes(5, id);
                    if (ps.executeUpdate() == 1) {
                        toInsert.put(e.id(), e);
                        return WriteStatus.STORED;
                    }
                }
                // Another node inserted the head between our SELECT and INSERT: read it again.
                if (attempt >= 3) {
                    throw new SQLException("replaceable head for kind " + e.kind() + " kept changing under concurrent writers");
                }
            }
        }

        private void updateHead(byte[] pubkey, int kind, byte[] dKey, long createdAt, byte[] id) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("UPDATE replaceable_heads SET created_at = ?, id = ? "
                    + "WHERE pubkey = ? AND kind = ? AND d_key = ?")) {
                ps.setLong(1, createdAt);
                ps.setBytes(2, id);
                ps.setBytes(3, pubkey);
                ps.setInt(4, kind);
                ps.setBytes(5, dKey);
                ps.executeUpdate();
            }
        }

        /** The stored version (createdAt, id) lost: delete it, or drop it from this batch's inserts. */
        private void replaced(long createdAt, byte[] id) {
            releasedIds.add(id);
            released.add(Hex.encode(id));
            if (toInsert.remove(Hex.encode(id)) == null) {
                replacedAt.add(createdAt);
                replacedIds.add(id);
            }
        }

        private void release(byte[] id) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_ids WHERE id = ?")) {
                ps.setBytes(1, id);
                ps.executeUpdate();
            }
        }

        private void deleteReplaced() throws SQLException {
            if (!replacedIds.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM events AS e USING "
                        + "unnest(?::int8[], ?::bytea[]) AS r(created_at, id) WHERE e.created_at = r.created_at AND e.id = r.id")) {
                    ps.setArray(1, c.createArrayOf("int8", replacedAt.toArray()));
                    ps.setArray(2, c.createArrayOf("bytea", replacedIds.toArray(new byte[0][])));
                    ps.executeUpdate();
                }
                for (int i = 0; i < replacedIds.size(); i++) {
                    changes.removed(replacedAt.get(i), replacedIds.get(i));
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_tags WHERE event_id = ANY(?::bytea[])")) {
                    ps.setArray(1, c.createArrayOf("bytea", replacedIds.toArray(new byte[0][])));
                    ps.executeUpdate();
                }
            }
            if (!releasedIds.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_ids WHERE id = ANY(?::bytea[])")) {
                    ps.setArray(1, c.createArrayOf("bytea", releasedIds.toArray(new byte[0][])));
                    ps.executeUpdate();
                }
            }
        }

        private void insertEvents() throws SQLException {
            int n = toInsert.size();
            if (n == 0) {
                return;
            }
            Long[] at = new Long[n];
            byte[][] ids = new byte[n][];
            byte[][] pubkeys = new byte[n][];
            Integer[] kinds = new Integer[n];
            Long[] expires = new Long[n];
            String[] json = new String[n];
            String[] text = new String[n];
            List<byte[]> tagEvent = new ArrayList<>();
            List<String> tagName = new ArrayList<>();
            List<byte[]> tagValue = new ArrayList<>();
            List<Long> tagAt = new ArrayList<>();
            int i = 0;
            for (Event e : toInsert.values()) {
                at[i] = e.createdAt();
                ids[i] = Hex.decode(e.id());
                pubkeys[i] = Hex.decode(e.pubkey());
                kinds[i] = e.kind();
                expires[i] = e.expiration().isPresent() ? e.expiration().getAsLong() : null;
                json[i] = e.json();
                text[i] = SearchText.of(e);
                for (IndexedTag t : IndexedTag.of(e)) {
                    tagEvent.add(ids[i]);
                    tagName.add(t.name());
                    tagValue.add(TagKey.of(t.value()));
                    tagAt.add(e.createdAt());
                }
                i++;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (created_at, id, pubkey, kind, expires_at, json, search) "
                    + "SELECT u.created_at, u.id, u.pubkey, u.kind, u.expires_at, u.json, to_tsvector('simple', u.text) "
                    + "FROM unnest(?::int8[], ?::bytea[], ?::bytea[], ?::int4[], ?::int8[], ?::text[], ?::text[]) "
                    + "AS u(created_at, id, pubkey, kind, expires_at, json, text)")) {
                ps.setArray(1, c.createArrayOf("int8", at));
                ps.setArray(2, c.createArrayOf("bytea", ids));
                ps.setArray(3, c.createArrayOf("bytea", pubkeys));
                ps.setArray(4, c.createArrayOf("int4", kinds));
                ps.setArray(5, c.createArrayOf("int8", expires));
                ps.setArray(6, c.createArrayOf("text", json));
                ps.setArray(7, c.createArrayOf("text", text));
                ps.executeUpdate();
            }
            for (int j = 0; j < n; j++) {
                changes.stored(at[j], ids[j], kinds[j], expires[j] == null ? 0 : expires[j]);
            }
            if (!tagEvent.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_tags (event_id, name, value, created_at) "
                        + "SELECT * FROM unnest(?::bytea[], ?::text[], ?::bytea[], ?::int8[]) ON CONFLICT DO NOTHING")) {
                    ps.setArray(1, c.createArrayOf("bytea", tagEvent.toArray(new byte[0][])));
                    ps.setArray(2, c.createArrayOf("text", tagName.toArray()));
                    ps.setArray(3, c.createArrayOf("bytea", tagValue.toArray(new byte[0][])));
                    ps.setArray(4, c.createArrayOf("int8", tagAt.toArray()));
                    ps.executeUpdate();
                }
            }
        }
    }

    /** The replacement key: empty for replaceable kinds, the d tag's key for addressable, else null. */
    static byte[] dKey(Event e) {
        KindClass k = e.kindClass();
        if (k == KindClass.REPLACEABLE) {
            return new byte[0];
        }
        return k == KindClass.ADDRESSABLE ? TagKey.of(IndexedTag.normalized(e.dTag())) : null;
    }

    /** NIP-01: the newer event wins; on equal created_at the lower id. */
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
            try (PreparedStatement ps = c.prepareStatement("SELECT " + PostgresFilterSql.COLUMNS + " FROM event_ids AS i "
                    + "JOIN events AS e ON e.created_at = i.created_at AND e.id = i.id "
                    + "WHERE i.id = ? AND (e.expires_at IS NULL OR e.expires_at > ?)")) {
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
            try (EventCursor merged = QueryCursors.open(c, query, SELECT)) {
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
        SqlBuilder union = FilterPlan.union(filters, visibility, "UNION", plan -> PostgresFilterSql.ids(plan, nowSeconds));
        if (union == null) {
            return 0;
        }
        SqlBuilder sql = new SqlBuilder().sql("SELECT count(DISTINCT id) FROM (").append(union).sql(") AS u");
        return storage.read(c -> {
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public long countAuthors(List<Filter> filters, long nowSeconds, Visibility visibility, AuthorSink authors)
            throws StoreException {
        SqlBuilder union = FilterPlan.union(filters, visibility, "UNION", plan -> PostgresFilterSql.idsAndAuthors(plan, nowSeconds));
        if (union == null) {
            return 0;
        }
        SqlBuilder sql = new SqlBuilder().sql("SELECT pubkey FROM (").append(union).sql(") AS u");
        return storage.read(c -> {
            long n = 0;
            try (PreparedStatement ps = sql.prepare(c)) {
                ps.setFetchSize(4096);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                        if (!authors.accept(rs.getBytes(1))) {
                            break;
                        }
                    }
                }
            }
            return n;
        });
    }

    @Override
    public int deleteByRequest(Event deletionRequest) throws StoreException {
        DeletionTargets t = DeletionTargets.of(deletionRequest);
        return storage.ingest(c -> applyDeletion(c, t));
    }

    @Override
    public Applied writeDeletionRequest(Event deletionRequest) throws StoreException {
        return writeDeletionRequest(deletionRequest, null);
    }

    /** {@link #writeDeletionRequest(Event)}, running {@code hook} (if any) in the same transaction. */
    Applied writeDeletionRequest(Event deletionRequest, StoredHook hook) throws StoreException {
        DeletionTargets t = DeletionTargets.of(deletionRequest);
        partitions.ensureFor(List.of(deletionRequest), System.currentTimeMillis() / 1000);
        return storage.ingest(c -> {
            WriteStatus status = new BatchWrite(c, List.of(deletionRequest), storage.changes()).run().getFirst();
            if (status != WriteStatus.STORED && status != WriteStatus.DUPLICATE) {
                return new Applied(status, 0);
            }
            Applied applied = new Applied(status, applyDeletion(c, t));
            if (hook != null && status == WriteStatus.STORED) {
                hook.stored(c, List.of(deletionRequest));
            }
            return applied;
        });
    }

    /** Removes what {@code t} names and remembers it, inside the caller's ingest transaction. */
    private int applyDeletion(Connection c, DeletionTargets t) throws SQLException {
        byte[] requester = Hex.decode(t.pubkey());
        long now = System.currentTimeMillis() / 1000;
        int removed = 0;
        if (!t.ids().isEmpty()) {
            byte[][] ids = t.ids().stream().map(Hex::decode).toArray(byte[][]::new);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deleted_events (id, pubkey, deleted_at) "
                    + "SELECT id, ?, ? FROM unnest(?::bytea[]) AS id ON CONFLICT DO NOTHING")) {
                ps.setBytes(1, requester);
                ps.setLong(2, now);
                ps.setArray(3, c.createArrayOf("bytea", ids));
                ps.executeUpdate();
            }
            removed += deleteSelected(c, new SqlBuilder().sql("SELECT e.created_at, e.id FROM event_ids AS i "
                    + "JOIN events AS e ON e.created_at = i.created_at AND e.id = i.id WHERE i.id = ANY(")
                    .param(new SqlBuilder.SqlArray("bytea", ids)).sql(") AND e.pubkey = ").param(requester)
                    .sql(" AND e.kind <> 5 AND e.kind <> 62"));
        }
        for (DeletionTargets.Address a : t.addresses()) {
            byte[] dKey = KindClass.of(a.kind()) == KindClass.REPLACEABLE ? new byte[0] : TagKey.of(a.d());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deleted_addresses (pubkey, kind, d_key, until) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (pubkey, kind, d_key) "
                    + "DO UPDATE SET until = GREATEST(deleted_addresses.until, excluded.until)")) {
                ps.setBytes(1, requester);
                ps.setInt(2, a.kind());
                ps.setBytes(3, dKey);
                ps.setLong(4, t.until());
                ps.executeUpdate();
            }
            removed += deleteSelected(c, new SqlBuilder().sql("SELECT created_at, id FROM replaceable_heads WHERE pubkey = ")
                    .param(requester).sql(" AND kind = ").param(a.kind()).sql(" AND d_key = ").param(dKey)
                    .sql(" AND created_at <= ").param(t.until()));
        }
        return removed;
    }

    @Override
    public int vanish(String pubkey, long untilSeconds) throws StoreException {
        if (!Hex.isLowerHex(pubkey, 64)) {
            throw new IllegalArgumentException("pubkey must be 64 lowercase hex characters, got '" + pubkey + "'");
        }
        byte[] key = Hex.decode(pubkey);
        return storage.ingest(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vanished (pubkey, until) VALUES (?, ?) "
                    + "ON CONFLICT (pubkey) DO UPDATE SET until = GREATEST(vanished.until, excluded.until)")) {
                ps.setBytes(1, key);
                ps.setLong(2, untilSeconds);
                ps.executeUpdate();
            }
            int removed = deleteSelected(c, new SqlBuilder()
                    .sql("SELECT created_at, id FROM events WHERE pubkey = ").param(key)
                    .sql(" AND created_at <= ").param(untilSeconds)
                    .sql(" UNION SELECT e.created_at, e.id FROM event_tags AS t JOIN events AS e ON e.created_at = t.created_at "
                            + "AND e.id = t.event_id WHERE t.name = 'p' AND t.value = ").param(TagKey.of(pubkey))
                    .sql(" AND t.created_at <= ").param(untilSeconds).sql(" AND e.kind = ").param(GIFT_WRAP));
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO vanish_log (pubkey, until, requested_at, removed) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, pubkey);
                ps.setLong(2, untilSeconds);
                ps.setLong(3, System.currentTimeMillis() / 1000);
                ps.setLong(4, removed);
                ps.executeUpdate();
            }
            return removed;
        });
    }

    /**
     * Deletes the events selected by {@code selectKeys} (a statement returning created_at, id
     * pairs) with their ids, tags and replaceable heads, in one statement; each removed event is
     * reported to the store's change listener.
     */
    int deleteSelected(Connection c, SqlBuilder selectKeys) throws SQLException {
        SqlBuilder sql = new SqlBuilder().sql("WITH gone AS (DELETE FROM events AS e USING (").append(selectKeys)
                .sql(") AS g WHERE e.created_at = g.created_at AND e.id = g.id RETURNING e.created_at, e.id), ")
                .sql("t AS (DELETE FROM event_tags WHERE event_id IN (SELECT id FROM gone)), ")
                .sql("i AS (DELETE FROM event_ids WHERE id IN (SELECT id FROM gone)), ")
                .sql("h AS (DELETE FROM replaceable_heads WHERE id IN (SELECT id FROM gone)) ")
                .sql("SELECT created_at, id FROM gone");
        int n = 0;
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                storage.changes().removed(rs.getLong(1), rs.getBytes(2));
                n++;
            }
        }
        return n;
    }

    /** Deletes the events with these ids (hex) with their ids, tags and heads; returns how many were stored. */
    int removeEvents(Connection c, List<String> ids) throws SQLException {
        byte[][] keys = ids.stream().filter(id -> Hex.isLowerHex(id, 64)).map(Hex::decode).toArray(byte[][]::new);
        if (keys.length == 0) {
            return 0;
        }
        return deleteSelected(c, new SqlBuilder().sql("SELECT created_at, id FROM event_ids WHERE id = ANY(")
                .param(new SqlBuilder.SqlArray("bytea", keys)).sql(")"));
    }

    @Override
    public int purgeKindOlderThan(int kind, long cutoffSeconds) throws StoreException {
        Checks.kind(kind);
        int total = 0;
        while (true) {
            int n = storage.maintain(c -> deleteSelected(c, new SqlBuilder()
                    .sql("SELECT created_at, id FROM events WHERE kind = ").param(kind)
                    .sql(" AND created_at < ").param(cutoffSeconds).sql(" LIMIT ").param((long) PURGE_CHUNK)));
            total += n;
            if (n < PURGE_CHUNK) {
                return total;
            }
        }
    }

    @Override
    public int purgeExpired(long nowSeconds) throws StoreException {
        int total = 0;
        while (true) {
            int n = storage.maintain(c -> deleteSelected(c, new SqlBuilder()
                    .sql("SELECT created_at, id FROM events WHERE expires_at IS NOT NULL AND expires_at <= ")
                    .param(nowSeconds).sql(" LIMIT ").param((long) PURGE_CHUNK)));
            total += n;
            if (n < PURGE_CHUNK) {
                return total;
            }
        }
    }

    @Override
    public void scanItems(Filter filter, long nowSeconds, Visibility visibility, ItemSink sink) throws StoreException {
        FilterPlan plan = FilterPlan.of(filter, visibility);
        if (plan.driver() == FilterPlan.Driver.NOTHING) {
            return;
        }
        SqlBuilder sql = PostgresFilterSql.items(plan, nowSeconds);
        storage.read(c -> {
            try (PreparedStatement ps = sql.prepare(c)) {
                ps.setFetchSize(8192);
                try (ResultSet rs = ps.executeQuery()) {
                    return new AscendingItems(sink).drain(rs);
                }
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
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT reltuples::bigint FROM pg_class WHERE oid = 'event_ids'::regclass")) {
                long estimate = rs.next() ? rs.getLong(1) : -1;
                if (estimate >= 1_000_000) {
                    return estimate;
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM event_ids")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }
}
