package nostr.relay.store.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nostr.core.Hex;
import nostr.core.filter.Filter;
import nostr.relay.store.Visibility;
import nostr.relay.store.sql.FilterPlan;
import nostr.relay.store.sql.SqlBuilder;

/**
 * Compiles one planned NIP-01 filter to SQLite SQL with bound parameters.
 *
 * <p>The driving index is named with {@code INDEXED BY} (and a tag-driven plan joins with
 * {@code CROSS JOIN}, which SQLite never reorders) so the plan follows {@link FilterPlan}'s rule
 * instead of the planner's guess on a database without statistics. The remaining conditions
 * filter the rows the driver yields; tag conditions beyond the driving one probe the tag table's
 * primary key (event, name, value). A NIP-50 search drives through the FTS5 index and is ordered
 * by its rank (bm25), then NIP-01 order among equal ranks.
 */
final class SqliteFilterSql {
    static final String COLUMNS = "e.id, e.pubkey, e.created_at, e.kind, e.json";
    /**
     * Most statements one filter is split into, one per value of its driving list (see
     * {@link FilterPlan#split}); a filter with more (e.g. a follow list of hundreds of authors)
     * runs as one statement that sorts.
     */
    static final int MAX_PIECES = 64;

    private SqliteFilterSql() {}

    /** The filter's events in NIP-01 order, at most {@code sqlLimit} rows. */
    static SqlBuilder select(FilterPlan plan, long now, long sqlLimit) {
        SqlBuilder b = new SqlBuilder().sql("SELECT ").sql(COLUMNS);
        fromWhere(b, plan, now);
        if (plan.driver() == FilterPlan.Driver.SEARCH) {
            b.sql(" ORDER BY f.rank, e.created_at DESC, e.id ASC LIMIT ").param(sqlLimit);
        } else {
            String created = plan.driver() == FilterPlan.Driver.TAG ? "t.created_at" : "e.created_at";
            b.sql(" ORDER BY ").sql(created).sql(" DESC, e.id ASC LIMIT ").param(sqlLimit);
        }
        return b;
    }

    /**
     * The filter's negentropy items (created_at, id, kind, expires_at) by created_at ascending; ties
     * come id-descending, the backward order of the created_at indexes ({@code AscendingItems}
     * sorts them). A tag-driven plan may yield an event once per matching value.
     */
    static SqlBuilder items(FilterPlan plan, long now) {
        SqlBuilder b = new SqlBuilder().sql("SELECT e.created_at, e.id, e.kind, e.expires_at");
        fromWhere(b, plan, now);
        String created = plan.driver() == FilterPlan.Driver.TAG ? "t.created_at" : "e.created_at";
        return b.sql(" ORDER BY ").sql(created).sql(" ASC, e.id DESC");
    }

    /** The rowids ({@code seq}) of the filter's events, unordered, for counting. */
    static SqlBuilder seqs(FilterPlan plan, long now) {
        SqlBuilder b = new SqlBuilder().sql("SELECT e.seq AS seq");
        fromWhere(b, plan, now);
        return b;
    }

    private static void fromWhere(SqlBuilder b, FilterPlan plan, long now) {
        Filter f = plan.filter();
        switch (plan.driver()) {
            case IDS -> b.sql(" FROM events AS e INDEXED BY events_id");
            case TAG -> b.sql(" FROM event_tags AS t INDEXED BY event_tags_lookup CROSS JOIN events AS e");
            case AUTHORS_KINDS -> b.sql(" FROM events AS e INDEXED BY events_pubkey_kind");
            case AUTHORS -> b.sql(" FROM events AS e INDEXED BY events_pubkey");
            case KINDS -> b.sql(" FROM events AS e INDEXED BY events_kind");
            case CREATED_AT -> b.sql(" FROM events AS e INDEXED BY events_created");
            case SEARCH -> b.sql(" FROM events_fts AS f CROSS JOIN events AS e");
            case NOTHING -> throw new IllegalArgumentException("no SQL for a filter that matches nothing");
        }
        b.sql(" WHERE (e.expires_at IS NULL OR e.expires_at > ").param(now).sql(")");
        if (plan.driver() == FilterPlan.Driver.SEARCH) {
            b.sql(" AND f.events_fts MATCH ").param(ftsQuery(FilterPlan.searchWords(f))).sql(" AND e.seq = f.rowid");
        }
        if (plan.driver() == FilterPlan.Driver.TAG) {
            b.sql(" AND t.name = ").param(String.valueOf(plan.driverTag()));
            b.sql(" AND ").in("t.value", tagKeys(f.tags().get(plan.driverTag())));
            if (f.since() != null) {
                b.sql(" AND t.created_at >= ").param(f.since());
            }
            if (f.until() != null) {
                b.sql(" AND t.created_at <= ").param(f.until());
            }
            b.sql(" AND e.seq = t.event_seq");
        }
        if (f.ids() != null) {
            b.sql(" AND ").in("e.id", bytes(f.ids()));
        }
        if (f.authors() != null) {
            b.sql(" AND ").in("e.pubkey", bytes(f.authors()));
        }
        if (f.kinds() != null) {
            b.sql(" AND ").in("e.kind", f.kinds());
        }
        if (f.since() != null) {
            b.sql(" AND e.created_at >= ").param(f.since());
        }
        if (f.until() != null) {
            b.sql(" AND e.created_at <= ").param(f.until());
        }
        for (char letter : plan.otherTags()) {
            b.sql(" AND EXISTS (SELECT 1 FROM event_tags AS x WHERE x.event_seq = e.seq AND x.name = ")
                    .param(String.valueOf(letter)).sql(" AND ").in("x.value", tagKeys(f.tags().get(letter))).sql(")");
        }
        visibility(b, plan.visibility());
    }

    /** The reader's restrictions (see {@link Visibility}): hidden kinds, and recipient-only kinds without a p tag to the reader. */
    private static void visibility(SqlBuilder b, Visibility v) {
        if (!v.hiddenKinds().isEmpty()) {
            b.sql(" AND NOT (").in("e.kind", v.hiddenKinds()).sql(")");
        }
        if (!v.recipientKinds().isEmpty()) {
            b.sql(" AND (NOT (").in("e.kind", v.recipientKinds()).sql(")");
            if (!v.recipients().isEmpty()) {
                b.sql(" OR EXISTS (SELECT 1 FROM event_tags AS v WHERE v.event_seq = e.seq AND v.name = 'p' AND ")
                        .in("v.value", tagKeys(v.recipients())).sql(")");
            }
            b.sql(")");
        }
    }

    /**
     * FTS5 query: every word as a quoted prefix term ({@code "word"*}), all required. Words hold
     * only letters and digits ({@link FilterPlan#searchWords}), so quoting them is enough.
     */
    static String ftsQuery(List<String> words) {
        StringBuilder q = new StringBuilder();
        for (String w : words) {
            if (!q.isEmpty()) {
                q.append(" AND ");
            }
            q.append('"').append(w).append("\"*");
        }
        return q.toString();
    }

    /**
     * How a tag value is stored in {@code event_tags.value} (migration V6): 64 lowercase hex
     * characters as their 32 bytes, anything else as text.
     */
    static Object tagKey(String value) {
        return Hex.isLowerHex(value, 64) ? Hex.decode(value) : value;
    }

    static List<Object> tagKeys(java.util.Collection<String> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(tagKey(v));
        }
        return out;
    }

    static List<byte[]> bytes(Set<String> hex) {
        List<byte[]> out = new ArrayList<>(hex.size());
        for (String h : hex) {
            out.add(Hex.decode(h));
        }
        return out;
    }
}
