package nostr.relay.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import nostr.relay.store.Query;

/**
 * Turns a {@link Query} into one cursor, the same way for both adapters: one statement per filter
 * (compiled by the adapter), plain filters merged in NIP-01 order by {@link OrderedMerge} with their
 * own limits and the total limit, NIP-50 search filters first in rank order
 * ({@link SearchFirstCursor}). Filters that match nothing, or whose limit is 0, run no statement.
 */
public final class QueryCursors {

    /** Compiles one planned filter into a bound statement returning at most {@code sqlLimit} rows. */
    @FunctionalInterface
    public interface PartStatement {
        PreparedStatement prepare(Connection c, FilterPlan plan, long nowSeconds, long sqlLimit) throws SQLException;
    }

    private QueryCursors() {}

    public static EventCursor open(Connection c, Query query, PartStatement compiler) throws SQLException {
        List<EventCursor> ranked = new ArrayList<>();
        List<EventCursor> ordered = new ArrayList<>();
        try {
            for (Query.Part part : query.parts()) {
                FilterPlan plan = FilterPlan.of(part.filter(), query.visibility());
                if (part.limit() <= 0 || plan.driver() == FilterPlan.Driver.NOTHING) {
                    continue;
                }
                if (plan.driver() == FilterPlan.Driver.SEARCH) {
                    ranked.add(new ResultSetCursor(compiler.prepare(c, plan, query.nowSeconds(), part.limit())));
                } else {
                    long sqlLimit = (long) part.limit() * plan.rowsPerEvent();
                    EventCursor rows = new ResultSetCursor(compiler.prepare(c, plan, query.nowSeconds(), sqlLimit));
                    ordered.add(OrderedMerge.of(List.of(rows), part.limit()));
                }
            }
            OrderedMerge merged = OrderedMerge.of(ordered, query.totalLimit());
            return ranked.isEmpty() ? merged : new SearchFirstCursor(ranked, merged, query.totalLimit());
        } catch (SQLException | RuntimeException e) {
            List<EventCursor> all = new ArrayList<>(ranked);
            all.addAll(ordered);
            for (EventCursor cursor : all) {
                try {
                    cursor.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }
}
