package nostr.relay.query;

import java.util.ArrayList;
import java.util.List;
import nostr.core.filter.Filter;
import nostr.relay.config.Limits;
import nostr.relay.store.Query;
import nostr.relay.store.Visibility;

/**
 * Turns a REQ's filters into the storage port's adapter-neutral {@link Query}: each filter gets
 * its effective limit (its own {@code limit} clamped to {@code max_limit}, {@code default_limit}
 * when it has none, at most the number of ids it names), filters that cannot match anything
 * (an empty list, {@code since} after {@code until}, limit 0) are left out, and the whole query is
 * capped at {@code max_req_events}.
 */
public final class QueryCompiler {
    private QueryCompiler() {}

    /** The query, or null when no filter can return a stored event (EOSE at once). */
    public static Query compile(List<Filter> filters, Limits limits, long nowSeconds) {
        return compile(filters, limits, nowSeconds, Visibility.EVERYTHING);
    }

    /** As {@link #compile(List, Limits, long)}, for a reader that may see only what {@code visibility} admits. */
    public static Query compile(List<Filter> filters, Limits limits, long nowSeconds, Visibility visibility) {
        List<Query.Part> parts = new ArrayList<>(filters.size());
        long total = 0;
        for (Filter f : filters) {
            int limit = effectiveLimit(f, limits);
            if (limit > 0 && canMatch(f)) {
                parts.add(new Query.Part(f, limit));
                total += limit;
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        return new Query(parts, (int) Math.min(total, limits.maxReqEvents()), nowSeconds, visibility);
    }

    /** The filter's stored-phase limit after clamping. */
    public static int effectiveLimit(Filter f, Limits limits) {
        int limit = f.limit() == null ? limits.defaultLimit() : Math.min(f.limit(), limits.maxLimit());
        if (f.ids() != null && f.limit() == null) {
            // Asking for specific ids is asking for all of them (up to max_limit).
            limit = Math.min(f.ids().size(), limits.maxLimit());
        } else if (f.ids() != null) {
            limit = Math.min(limit, f.ids().size());
        }
        return limit;
    }

    private static boolean canMatch(Filter f) {
        if (f.ids() != null && f.ids().isEmpty() || f.authors() != null && f.authors().isEmpty()
                || f.kinds() != null && f.kinds().isEmpty()) {
            return false;
        }
        for (var values : f.tags().values()) {
            if (values.isEmpty()) {
                return false;
            }
        }
        return f.since() == null || f.until() == null || f.since() <= f.until();
    }
}
