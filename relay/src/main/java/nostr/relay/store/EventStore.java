package nostr.relay.store;

import java.util.List;
import java.util.Optional;
import nostr.core.event.Event;
import nostr.core.filter.Filter;

/**
 * Events: the part of the storage port the ingest and query paths use.
 *
 * <p>Adapters apply NIP-01's kind rules on write: replaceable kinds (0, 3, 10000-19999) keep the
 * newest event per (pubkey, kind); addressable kinds (30000-39999) per (pubkey, kind, d tag, ""
 * when missing); ties on created_at go to the lowest id. Ephemeral kinds never reach the store.
 */
public interface EventStore {

    /**
     * Writes events in one transaction. Returns one status per event, in order. When this
     * returns, every STORED event is durable. The relay's single writer calls this with batches
     * (group commit); it is not required to be safe for concurrent calls.
     *
     * @throws StoreException when nothing of the batch could be committed
     */
    List<WriteStatus> write(List<Event> events) throws StoreException;

    /** The stored event with this id, if any (expired or deleted events are absent). */
    Optional<StoredEvent> get(String id) throws StoreException;

    /**
     * Streams the events matching {@code query} to {@code sink} in NIP-01 order. Implementations
     * read with a cursor and never hold the whole result in memory. Stops when the sink returns
     * false or the query's limits are reached.
     */
    void query(Query query, EventSink sink) throws StoreException;

    /** Number of distinct stored, unexpired events matching any of {@code filters} (limits ignored). */
    default long count(List<Filter> filters, long nowSeconds) throws StoreException {
        return count(filters, nowSeconds, Visibility.EVERYTHING);
    }

    /**
     * Number of distinct stored, unexpired events matching any of {@code filters} that
     * {@code visibility} lets the reader see (limits ignored).
     */
    long count(List<Filter> filters, long nowSeconds, Visibility visibility) throws StoreException;

    /**
     * Counts as {@link #count(List, long, Visibility)} does and hands the author of every counted
     * event to {@code authors} (NIP-45 HyperLogLog registers are computed over them), in no
     * particular order, from one snapshot. Streams from a cursor; stops early when the sink
     * returns false.
     *
     * @return the number of events handed to the sink (the count, unless the sink stopped it)
     */
    long countAuthors(List<Filter> filters, long nowSeconds, Visibility visibility, AuthorSink authors)
            throws StoreException;

    /** Receives the 32-byte pubkey of one counted event; returning false stops the count. */
    @FunctionalInterface
    interface AuthorSink {
        boolean accept(byte[] pubkey);
    }

    /**
     * Stores a NIP-09 deletion request (kind 5) and applies it in one transaction: either both the
     * request and its deletions are durable when this returns, or neither is. The request is
     * checked and written as {@link #write} would (it may be DUPLICATE, or refused DELETED or
     * VANISHED); it is applied, as {@link #deleteByRequest} does, when it is STORED or DUPLICATE
     * (applying is idempotent, so re-sending a request repairs nothing and breaks nothing).
     *
     * @throws IllegalArgumentException if the event is not kind 5
     */
    Applied writeDeletionRequest(Event deletionRequest) throws StoreException;

    /** What {@link #writeDeletionRequest} did: the request's write status and the events removed. */
    record Applied(WriteStatus status, int removed) {}

    /**
     * Applies a NIP-09 deletion request (kind 5), which must itself be stored by the caller:
     * removes the requester's own events named by {@code e} tags, and versions of addresses named
     * by {@code a} tags (requester's own) created at or before the request; remembers the
     * deletions so that re-submissions are refused ({@link WriteStatus#DELETED}).
     *
     * @return the number of events removed
     */
    int deleteByRequest(Event deletionRequest) throws StoreException;

    /**
     * NIP-62 request to vanish: hard-deletes every event by {@code pubkey} created at or before
     * {@code untilSeconds}, and gift wraps (kind 1059) addressed to it by a {@code p} tag;
     * refuses later re-submission of older events ({@link WriteStatus#VANISHED}); keeps a minimal
     * audit record (pubkey, time, count).
     *
     * @return the number of events removed
     */
    int vanish(String pubkey, long untilSeconds) throws StoreException;

    /** Deletes events whose NIP-40 expiration is at or before {@code nowSeconds}; returns how many. */
    int purgeExpired(long nowSeconds) throws StoreException;

    /**
     * Deletes the events of {@code kind} created before {@code cutoffSeconds} (retention of
     * short-lived kinds such as MLS group events, kind 445); returns how many. Large purges run in
     * chunks so that no transaction holds the writer for long.
     */
    int purgeKindOlderThan(int kind, long cutoffSeconds) throws StoreException;

    /** Total stored events (for stats and metrics; may be approximate on large PostgreSQL stores). */
    long size() throws StoreException;

    // ---- negentropy (NIP-77) --------------------------------------------------------------------

    /**
     * Streams the negentropy items of the stored, unexpired events matching {@code filter} that
     * {@code visibility} lets the reader see: {@code (created_at, id)} in ascending order (created_at,
     * then id bytes), each event once, from one snapshot. The filter's {@code limit} is ignored (a
     * reconciliation covers every matching event); its search terms still select. Reads only the
     * columns of the item, never the event text. Stops when the sink returns false.
     */
    void scanItems(Filter filter, long nowSeconds, Visibility visibility, ItemSink sink) throws StoreException;

    /** Receives one item of {@link #scanItems}; returning false stops the scan. */
    @FunctionalInterface
    interface ItemSink {
        /**
         * @param id the 32-byte event id (the array may be reused after the call returns)
         * @param expiresAt the NIP-40 expiration, or 0 when the event has none
         */
        boolean accept(long createdAt, byte[] id, int kind, long expiresAt);
    }

    /**
     * Registers the one listener told, after each committed write transaction of this store, which
     * events it stored and which it removed, in the order it did so (replaceable supersession,
     * deletion requests, requests to vanish, expiry and retention purges, operator bans included).
     * Called on the committing thread; it must be quick and must not call back into the store.
     * {@code null} removes it. Changes other processes make (another relay node on the same
     * database, an import tool) are not reported.
     */
    void setChangeListener(ChangeListener listener);

    /** What one committed transaction changed, in order. */
    @FunctionalInterface
    interface ChangeListener {
        void committed(List<Change> changes);
    }

    /** One event stored or removed by a committed transaction. */
    sealed interface Change {
        /** The event's created_at. */
        long createdAt();

        /** The event's 32-byte id. */
        byte[] id();

        /** A newly stored event. @param expiresAt its NIP-40 expiration, or 0 */
        record Stored(long createdAt, byte[] id, int kind, long expiresAt) implements Change {}

        /** An event removed from the store. */
        record Removed(long createdAt, byte[] id) implements Change {}
    }
}
