package nostr.relay.store;

import java.util.List;
import nostr.core.filter.Filter;

/**
 * An adapter-neutral query: the filters of one REQ (OR-ed), each with the limit the relay
 * decided for it, and a cap on the whole result. Built by the relay's query compiler.
 *
 * <p>Result order is NIP-01's: created_at descending, then id ascending. An event matching
 * several filters is returned once. Expired events (NIP-40 expiration at or before
 * {@code nowSeconds}) are never returned. Filters with a NIP-50 {@code search} are ordered by
 * rank instead, the limit applied after ranking.
 *
 * @param parts one entry per filter
 * @param totalLimit the most events the whole query may return
 * @param nowSeconds the current time, for expiry
 * @param visibility what the reader may see; applied inside each filter, before its limit
 */
public record Query(List<Part> parts, int totalLimit, long nowSeconds, Visibility visibility) {

    public Query {
        parts = List.copyOf(parts);
        if (totalLimit < 0) {
            throw new IllegalArgumentException("totalLimit must not be negative");
        }
        java.util.Objects.requireNonNull(visibility, "visibility");
    }

    /** A query whose reader may see everything. */
    public Query(List<Part> parts, int totalLimit, long nowSeconds) {
        this(parts, totalLimit, nowSeconds, Visibility.EVERYTHING);
    }

    /**
     * One filter and its effective limit (already clamped to the relay's maximum).
     *
     * @param filter the NIP-01 filter; its own {@code limit} field is ignored in favour of {@code limit}
     * @param limit at most this many events for this filter
     */
    public record Part(Filter filter, int limit) {}
}
