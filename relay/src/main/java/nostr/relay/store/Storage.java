package nostr.relay.store;

/**
 * One opened storage backend: its stores (events, moderation, groups, admin, blob metadata), sharing connections and lifecycle.
 * Implementations: {@code SqliteStorage}, {@code PostgresStorage}.
 */
public interface Storage extends AutoCloseable {

    /** "sqlite" or "postgres": what the relay logs and advertises. */
    String name();

    /** Events: write, read, query, count, deletion, vanish, expiry. */
    EventStore events();

    /** Bans, allowlists, blocked IPs, allowed kinds (NIP-86 backing). */
    ModerationStore moderation();

    /** Relay membership (NIP-43) and NIP-29-style groups with roles. */
    GroupStore groups();

    /** Relay settings and the moderation queue (NIP-86 backing). */
    AdminStore admin();

    /** Blossom blob metadata: owners, sizes, types, upload times, quotas (the bytes are files). */
    nostr.blossom.server.BlobIndex blobs();

    /** Statistics, compaction and the post-deletion scrub (operator tools and background jobs). */
    MaintenanceStore maintenance();

    /**
     * The commit journal cluster nodes catch up from, when the backend is one several relay
     * processes share (PostgreSQL); empty on SQLite.
     */
    default java.util.Optional<CommitJournal> journal() {
        return java.util.Optional.empty();
    }

    /** True when the backend answers a trivial query now (for /health). */
    boolean isHealthy();

    /** Closes pools and files; waits for nothing but in-flight statements. */
    @Override
    void close();
}
