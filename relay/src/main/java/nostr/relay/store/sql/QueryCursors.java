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

    /** Opens the query with one statement per filter (the adapter's SQL handles lists itself). */
    public static EventCursor open(Connection c, Query query, PartStatement compiler) throws SQLException {
        return open(c, query, compiler, 1);
    }

    /**
     * Opens the query; a plain filter whose driving list holds several values is run as up to
     * {@code maxPieces} statements, one per value ({@link FilterPlan#split}), merged in NIP-01 order.
     */
    public static EventCursor open(Connection c, Query query, PartStatement compiler, int maxPieces) throws SQLException {
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
                    List<EventCursor> pieces = new ArrayList<>();
                    try {
                        for (FilterPlan piece : plan.split(maxPieces)) {
                            long sqlLimit = (long) part.limit() * piece.rowsPerEvent();
                            pieces.add(new ResultSetCursor(compiler.prepare(c, piece, query.nowSeconds(), sqlLimit)));
                        }
                    } catch (SQLException | RuntimeException e) {
                        ordered.addAll(pieces);
                        throw e;
                    }
                    ordered.add(OrderedMerge.of(pieces, part.limit()));
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
