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
 * @param cacheMib page cache per connection, in MiB
 * @param mmapMib memory-mapped I/O window per connection, in MiB (0 disables)
 */
public record SqliteOptions(int readConnections, Synchronous synchronous, Duration busyTimeout, int cacheMib,
                            int mmapMib) {

    /** SQLite's {@code PRAGMA synchronous} levels the adapter accepts in WAL mode. */
    public enum Synchronous { FULL, NORMAL }

    public SqliteOptions {
        Objects.requireNonNull(synchronous, "synchronous");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        if (readConnections < 1 || readConnections > 64) {
            throw new IllegalArgumentException("readConnections must be between 1 and 64, got " + readConnections);
        }
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout is out of range: " + busyTimeout);
        }
        if (cacheMib < 1) {
            throw new IllegalArgumentException("cacheMib must be at least 1, got " + cacheMib);
        }
        if (mmapMib < 0) {
            throw new IllegalArgumentException("mmapMib must not be negative, got " + mmapMib);
        }
    }

    /** 4 readers, synchronous FULL, 5 s busy timeout, 64 MiB cache, 256 MiB mmap. */
    public static SqliteOptions defaults() {
        return new SqliteOptions(4, Synchronous.FULL, Duration.ofSeconds(5), 64, 256);
    }

    public SqliteOptions withReadConnections(int n) {
        return new SqliteOptions(n, synchronous, busyTimeout, cacheMib, mmapMib);
    }

    public SqliteOptions withSynchronous(Synchronous s) {
        return new SqliteOptions(readConnections, s, busyTimeout, cacheMib, mmapMib);
    }
}
