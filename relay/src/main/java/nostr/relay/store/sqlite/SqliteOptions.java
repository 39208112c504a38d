package nostr.relay.store.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the SQLite adapter, validated once. {@link #defaults()} suits a single relay on one
 * disk; every knob is documented in relay/README.md ("Storage").
 *
 * @param readConnections size of the read pool (REQ, COUNT, lookups run concurrently with the writer under WAL)
 * @param synchronous FULL (default): a commit is on disk, surviving kill -9 and power loss;
 *        NORMAL: survives kill -9 but the last commits may be lost on power loss or OS crash
 * @param busyTimeout how long a connection waits for a lock held by another process (backups, CLI tools)
 * @param cacheMib page cache per read connection, in MiB
 * @param mmapMib memory-mapped I/O window per connection, in MiB (0 disables)
 * @param writerCacheMib page cache of the writer connection, in MiB: the B-tree pages ingest
 *        touches (random-keyed index leaves above all) stay in memory instead of being read again
 * @param walAutocheckpointPages WAL pages after which the writer itself checkpoints at commit
 *        (SQLite's {@code wal_autocheckpoint}); with the background checkpointer this is only the
 *        backstop that lets the WAL restart from its beginning
 * @param checkpointInterval how often a background thread copies committed WAL pages into the
 *        database file (a PASSIVE checkpoint on a connection of its own), so the writer does not
 *        stall on it; zero: no background thread, the writer checkpoints inline
 */
public record SqliteOptions(int readConnections, Synchronous synchronous, Duration busyTimeout, int cacheMib,
                            int mmapMib, int writerCacheMib, int walAutocheckpointPages, Duration checkpointInterval) {

    /** SQLite's {@code PRAGMA synchronous} levels the adapter accepts in WAL mode. */
    public enum Synchronous { FULL, NORMAL }

    public SqliteOptions {
        Objects.requireNonNull(synchronous, "synchronous");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        if (readConnections < 1 || readConnections > 64) {
            throw new IllegalArgumentException("readConnections must be between 1 and 64, got " + readConnections);
        }
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout is out of range: " + busyTimeout);
        }
        if (cacheMib < 1) {
            throw new IllegalArgumentException("cacheMib must be at least 1, got " + cacheMib);
        }
        if (writerCacheMib < 1) {
            throw new IllegalArgumentException("writerCacheMib must be at least 1, got " + writerCacheMib);
        }
        if (mmapMib < 0) {
            throw new IllegalArgumentException("mmapMib must not be negative, got " + mmapMib);
        }
        if (walAutocheckpointPages < 1) {
            throw new IllegalArgumentException("walAutocheckpointPages must be at least 1, got " + walAutocheckpointPages);
        }
        if (checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("checkpointInterval must not be negative, got " + checkpointInterval);
        }
    }

    /**
     * 4 readers, synchronous FULL, 5 s busy timeout, 64 MiB cache per reader, 256 MiB for the
     * writer, 1 GiB mmap, background checkpoints every second, the writer's own checkpoint
     * after 32,768 WAL pages (128 MiB).
     */
    public static SqliteOptions defaults() {
        return new SqliteOptions(4, Synchronous.FULL, Duration.ofSeconds(5), 64, 1024, 256, 32_768, Duration.ofSeconds(1));
    }

    public SqliteOptions withReadConnections(int n) {
        return new SqliteOptions(n, synchronous, busyTimeout, cacheMib, mmapMib, writerCacheMib, walAutocheckpointPages,
                checkpointInterval);
    }

    public SqliteOptions withSynchronous(Synchronous s) {
        return new SqliteOptions(readConnections, s, busyTimeout, cacheMib, mmapMib, writerCacheMib, walAutocheckpointPages,
                checkpointInterval);
    }

    /** The same options with the writer's page cache at {@code mib} MiB. */
    public SqliteOptions withWriterCacheMib(int mib) {
        return new SqliteOptions(readConnections, synchronous, busyTimeout, cacheMib, mmapMib, mib, walAutocheckpointPages,
                checkpointInterval);
    }

    /** The same options with these checkpoint settings (interval zero: the writer checkpoints inline). */
    public SqliteOptions withCheckpoints(int autocheckpointPages, Duration interval) {
        return new SqliteOptions(readConnections, synchronous, busyTimeout, cacheMib, mmapMib, writerCacheMib,
                autocheckpointPages, interval);
    }
}
