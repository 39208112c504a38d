package nostr.relay.store.postgres;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import nostr.core.Hex;
import nostr.core.filter.Filter;
import nostr.relay.store.Visibility;
import nostr.relay.store.sql.FilterPlan;
import nostr.relay.store.sql.SqlBuilder;
import nostr.relay.store.sql.SqlBuilder.SqlArray;

/**
 * Compiles one planned NIP-01 filter to PostgreSQL SQL with bound parameters.
 *
 * <p>The statement's FROM follows {@link FilterPlan}: ids start at {@code event_ids} (which also
 * names the partition), a tag condition at the {@code event_tags_lookup} index (whose order
 * (created_at DESC, event_id) is already NIP-01's for one value), anything else at {@code events}
 * where the partitioned indexes on (pubkey[, kind] | kind, created_at DESC, id) serve it. Lists are
 * bound as one array ({@code = ANY(?)}), so the text and its cached plan do not depend on their
 * length; single values are bound as plain equality. A filter whose driving list holds several
 * values (authors x kinds, kinds, values of the driving tag) is a k-way merge in SQL: one LATERAL
 * index range per value, each stopping at the limit (see {@link #lateralSelect}). A NIP-50 search uses the GIN index on the
 * content's tsvector and is ordered by ts_rank, then NIP-01 order among equal ranks.
 */
final class PostgresFilterSql {
    static final String COLUMNS = "e.id, e.pubkey, e.created_at, e.kind, e.json";

    private PostgresFilterSql() {}

    /** The filter's events in NIP-01 order, at most {@code sqlLimit} rows. */
    static SqlBuilder select(FilterPlan plan, long now, long sqlLimit) {
        if (plan.drivesSeveralValues()) {
            return lateralSelect(plan, now, sqlLimit);
        }
        SqlBuilder b = new SqlBuilder().sql("SELECT ").sql(COLUMNS);
        fromWhere(b, plan, now, Refs.NONE);
        orderAndLimit(b, plan, sqlLimit);
        return b;
    }

    private static void orderAndLimit(SqlBuilder b, FilterPlan plan, long sqlLimit) {
        if (plan.driver() == FilterPlan.Driver.TAG) {
            b.sql(" ORDER BY t.created_at DESC, t.event_id");
        } else if (plan.driver() == FilterPlan.Driver.SEARCH) {
            b.sql(" ORDER BY ts_rank(e.search, to_tsquery('simple', ").param(tsQuery(FilterPlan.searchWords(plan.filter())))
                    .sql(")) DESC, e.created_at DESC, e.id");
        } else {
            b.sql(" ORDER BY e.created_at DESC, e.id");
        }
        b.sql(" LIMIT ").param(sqlLimit);
    }

    /**
     * A filter whose driving list holds several values (authors and/or kinds, kinds, values of the
     * driving tag), as a k-way merge in SQL: every value (every author and kind pair) is unnested
     * and a LATERAL subquery reads that value's index range in NIP-01 order up to the limit, then
     * the union (at most values x limit rows) is sorted and cut. One statement over the whole list
     * ({@code = ANY}) would have PostgreSQL fetch every matching row of every value (a bitmap heap
     * scan) and sort them all.
     */
    private static SqlBuilder lateralSelect(FilterPlan plan, long now, long sqlLimit) {
        Filter f = plan.filter();
        SqlBuilder b = new SqlBuilder().sql("SELECT x.id, x.pubkey, x.created_at, x.kind, x.json FROM ");
        Refs refs;
        switch (plan.driver()) {
            case AUTHORS_KINDS -> {
                b.sql("unnest(CAST(").param(new SqlArray("bytea", bytes(f.authors()).toArray(new byte[0][])))
                        .sql(" AS bytea[])) AS va(pubkey) CROSS JOIN unnest(CAST(")
                        .param(new SqlArray("int4", f.kinds().toArray(new Integer[0]))).sql(" AS int4[])) AS vk(kind)");
                refs = new Refs("va.pubkey", "vk.kind", null);
            }
            case AUTHORS -> {
                b.sql("unnest(CAST(").param(new SqlArray("bytea", bytes(f.authors()).toArray(new byte[0][])))
                        .sql(" AS bytea[])) AS va(pubkey)");
                refs = new Refs("va.pubkey", null, null);
            }
            case KINDS -> {
                b.sql("unnest(CAST(").param(new SqlArray("int4", f.kinds().toArray(new Integer[0]))).sql(" AS int4[])) AS vk(kind)");
                refs = new Refs(null, "vk.kind", null);
            }
            case TAG -> {
                b.sql("unnest(CAST(").param(new SqlArray("bytea", keys(f.tags().get(plan.driverTag())).toArray(new byte[0][])))
                        .sql(" AS bytea[])) AS vt(value)");
                refs = new Refs(null, null, "vt.value");
            }
            default -> throw new IllegalArgumentException("no per-value form for driver " + plan.driver());
        }
        b.sql(" CROSS JOIN LATERAL (SELECT ").sql(COLUMNS);
        fromWhere(b, plan, now, refs);
        orderAndLimit(b, plan, sqlLimit);
        b.sql(") AS x ORDER BY x.created_at DESC, x.id LIMIT ").param(sqlLimit);
        return b;
    }

    /**
     * The filter's negentropy items (created_at, id, kind, expires_at) by created_at ascending, ties
     * in any order ({@code AscendingItems} sorts them); a tag-driven plan may yield an event once
     * per matching value.
     */
    static SqlBuilder items(FilterPlan plan, long now) {
        SqlBuilder b = new SqlBuilder().sql("SELECT e.created_at, e.id, e.kind, e.expires_at");
        fromWhere(b, plan, now, Refs.NONE);
        return b.sql(plan.driver() == FilterPlan.Driver.TAG ? " ORDER BY t.created_at" : " ORDER BY e.created_at");
    }

    /**
     * Columns of the per-value rows of {@link #lateralSelect} that replace a list condition
     * ({@code pubkey = va.pubkey} instead of {@code pubkey = ANY(?)}); null: bind the list.
     */
    private record Refs(String author, String kind, String tagValue) {
        static final Refs NONE = new Refs(null, null, null);
    }

    /** The ids of the filter's events, unordered, for counting. */
    static SqlBuilder ids(FilterPlan plan, long now) {
        SqlBuilder b = new SqlBuilder().sql("SELECT e.id");
        fromWhere(b, plan, now, Refs.NONE);
        return b;
    }

    /** The ids and authors of the filter's events, unordered, for counting with authors (NIP-45 HLL). */
    static SqlBuilder idsAndAuthors(FilterPlan plan, long now) {
        SqlBuilder b = new SqlBuilder().sql("SELECT e.id, e.pubkey");
        fromWhere(b, plan, now, Refs.NONE);
        return b;
    }

    private static void fromWhere(SqlBuilder b, FilterPlan plan, long now, Refs refs) {
        Filter f = plan.filter();
        switch (plan.driver()) {
            case IDS -> {
                b.sql(" FROM event_ids AS i JOIN events AS e ON e.created_at = i.created_at AND e.id = i.id WHERE ");
                any(b, "i.id", "bytea", bytes(f.ids()));
            }
            case TAG -> {
                b.sql(" FROM event_tags AS t JOIN events AS e ON e.created_at = t.created_at AND e.id = t.event_id")
                        .sql(" WHERE t.name = ").param(String.valueOf(plan.driverTag())).sql(" AND ");
                if (refs.tagValue() != null) {
                    b.sql("t.value = ").sql(refs.tagValue());
                } else {
                    any(b, "t.value", "bytea", keys(f.tags().get(plan.driverTag())));
                }
                if (f.since() != null) {
                    b.sql(" AND t.created_at >= ").param(f.since());
                }
                if (f.until() != null) {
                    b.sql(" AND t.created_at <= ").param(f.until());
                }
            }
            case AUTHORS_KINDS, AUTHORS, KINDS, CREATED_AT -> b.sql(" FROM events AS e WHERE TRUE");
            case SEARCH -> b.sql(" FROM events AS e WHERE e.search @@ to_tsquery('simple', ")
                    .param(tsQuery(FilterPlan.searchWords(f))).sql(")");
            case NOTHING -> throw new IllegalArgumentException("no SQL for a filter that matches nothing");
        }
        b.sql(" AND (e.expires_at IS NULL OR e.expires_at > ").param(now).sql(")");
        if (f.ids() != null && plan.driver() != FilterPlan.Driver.IDS) {
            b.sql(" AND ");
            any(b, "e.id", "bytea", bytes(f.ids()));
        }
        if (refs.author() != null) {
            b.sql(" AND e.pubkey = ").sql(refs.author());
        } else if (f.authors() != null) {
            b.sql(" AND ");
            any(b, "e.pubkey", "bytea", bytes(f.authors()));
        }
        if (refs.kind() != null) {
            b.sql(" AND e.kind = ").sql(refs.kind());
        } else if (f.kinds() != null) {
            b.sql(" AND ");
            any(b, "e.kind", "int4", List.copyOf(f.kinds()));
        }
        if (f.since() != null) {
            b.sql(" AND e.created_at >= ").param(f.since());
        }
        if (f.until() != null) {
            b.sql(" AND e.created_at <= ").param(f.until());
        }
        for (char letter : plan.otherTags()) {
            b.sql(" AND EXISTS (SELECT 1 FROM event_tags AS x WHERE x.event_id = e.id AND x.name = ")
                    .param(String.valueOf(letter)).sql(" AND ");
            any(b, "x.value", "bytea", keys(f.tags().get(letter)));
            b.sql(")");
        }
        visibility(b, plan.visibility());
    }

    /** The reader's restrictions (see {@link Visibility}): hidden kinds, and recipient-only kinds without a p tag to the reader. */
    private static void visibility(SqlBuilder b, Visibility v) {
        if (!v.hiddenKinds().isEmpty()) {
            b.sql(" AND NOT (");
            any(b, "e.kind", "int4", List.copyOf(v.hiddenKinds()));
            b.sql(")");
        }
        if (!v.recipientKinds().isEmpty()) {
            b.sql(" AND (NOT (");
            any(b, "e.kind", "int4", List.copyOf(v.recipientKinds()));
            b.sql(")");
            if (!v.recipients().isEmpty()) {
                b.sql(" OR EXISTS (SELECT 1 FROM event_tags AS v WHERE v.event_id = e.id AND v.name = 'p' AND ");
                any(b, "v.value", "bytea", keys(v.recipients()));
                b.sql(")");
            }
            b.sql(")");
        }
    }

    /**
     * tsquery text: every word as a prefix lexeme ({@code word:*}), all required. Words hold only
     * letters and digits ({@link FilterPlan#searchWords}), so no tsquery operator can appear.
     */
    static String tsQuery(List<String> words) {
        return String.join(" & ", words.stream().map(w -> w + ":*").toList());
    }

    /** {@code column = ?} for one value, {@code column = ANY(?)} with an array for several. */
    private static void any(SqlBuilder b, String column, String type, List<?> values) {
        if (values.size() == 1) {
            b.sql(column).sql(" = ").param(values.getFirst());
        } else {
            Object[] array = switch (type) {
                case "bytea" -> values.toArray(new byte[0][]);
                case "int4" -> values.toArray(new Integer[0]);
                default -> values.toArray(new String[0]);
            };
            b.sql(column).sql(" = ANY(").param(new SqlArray(type, array)).sql(")");
        }
    }

    static List<byte[]> bytes(Set<String> hex) {
        return hex.stream().map(Hex::decode).toList();
    }

    static List<byte[]> keys(Collection<String> values) {
        return values.stream().map(TagKey::of).toList();
    }
}
