package nostr.relay.store;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Operator maintenance of a store: what {@code bin/parrhesia stats} reports, what
 * {@code bin/parrhesia compact} does, and the scrub the relay's background job runs after
 * NIP-62 requests to vanish. None of it changes what clients see.
 */
public interface MaintenanceStore {

    /**
     * What the store holds now.
     *
     * @param store the adapter name ("sqlite", "postgres")
     * @param events stored event rows (exact; expired events not yet purged included)
     * @param eventsByKind stored event rows per kind, kinds ascending
     * @param oldestCreatedAt the smallest {@code created_at} stored, empty when there are no events
     * @param newestCreatedAt the largest {@code created_at} stored, empty when there are no events
     * @param sizeBytes bytes the store occupies (SQLite: database file plus WAL; PostgreSQL: every
     *     table of the relay's schema with its indexes and TOAST)
     */
    record Stats(String store, long events, Map<Integer, Long> eventsByKind, OptionalLong oldestCreatedAt,
                 OptionalLong newestCreatedAt, long sizeBytes) {
        public Stats {
            eventsByKind = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(eventsByKind));
        }
    }

    /**
     * What {@link #compact()} did.
     *
     * @param sizeBeforeBytes {@link Stats#sizeBytes()} before
     * @param sizeAfterBytes {@link Stats#sizeBytes()} after
     * @param actions the statements it ran, for the operator
     */
    record Compaction(long sizeBeforeBytes, long sizeAfterBytes, java.util.List<String> actions) {
        public Compaction {
            actions = java.util.List.copyOf(actions);
        }
    }

    /** Counts events by kind, the time range and the size on disk (scans an index: slow on huge stores). */
    Stats stats() throws StoreException;

    /**
     * Gives free space back and refreshes planner statistics: SQLite checkpoints the WAL, runs
     * {@code VACUUM} (rewrites the whole file; needs free disk space about the database's size and
     * blocks every writer meanwhile) and truncates the WAL; PostgreSQL runs {@code VACUUM (ANALYZE)}
     * on every table of the relay's schema (concurrent with normal work; it does not return space
     * to the operating system as {@code VACUUM FULL} would).
     */
    Compaction compact() throws StoreException;

    /**
     * How many NIP-62 requests to vanish the store has applied, ever (rows of its audit log): a
     * number that only grows, so a job can tell whether one happened since it last looked.
     */
    long vanishRequestCount() throws StoreException;

    /**
     * Removes what deletions leave behind on disk beyond the rows themselves: SQLite merges the
     * full-text index (FTS5 {@code optimize}, which drops the words of deleted events) and
     * truncates the WAL (old page images); PostgreSQL vacuums the event tables (dead row versions
     * become reusable space). Runs while the relay serves; blocks writers while it runs on SQLite.
     */
    void scrubDeleted() throws StoreException;
}
