package nostr.relay.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed pages from the WAL into the database file on a thread and connection of its
 * own, so the single writer only appends to the WAL and never stalls on a checkpoint.
 *
 * <p>Why: in WAL mode every commit appends the pages it dirtied to the WAL; a checkpoint later
 * writes each of them into the database file and fsyncs it. SQLite's default runs that
 * checkpoint inside the committing connection every 1,000 pages, i.e. after nearly every group
 * commit of ingest (each dirties thousands of index pages), so the writer paid for every page
 * twice, in series. Here a PASSIVE checkpoint runs once per interval when something was
 * committed: a page dirtied by many commits in between is copied once, and the copying overlaps
 * the writer's next transactions. A PASSIVE checkpoint never waits for the writer or readers; it
 * copies what it can. The writer keeps a larger {@code wal_autocheckpoint} as a backstop: when
 * the WAL grows past it the writer finishes the (by then mostly done) checkpoint itself, which
 * lets the WAL restart from its beginning.
 *
 * <p>Durability does not depend on checkpoints: a commit is durable once its WAL frames are
 * synced (synchronous FULL), and recovery replays the WAL after a crash.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);

    private final Connection connection;
    private final long intervalMillis;
    private final AtomicLong commits = new AtomicLong();
    private final Object wake = new Object();
    private final Thread thread;
    private volatile boolean closed;
    private boolean failing;

    SqliteCheckpointer(Connection connection, long intervalMillis) {
        this.connection = connection;
        this.intervalMillis = intervalMillis;
        this.thread = Thread.ofPlatform().name("sqlite-checkpoint").daemon(true).start(this::run);
    }

    /** Told after every commit of the writer (cheap: a counter). */
    void committed() {
        commits.incrementAndGet();
    }

    private void run() {
        long seen = 0;
        while (!closed) {
            synchronized (wake) {
                try {
                    wake.wait(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
            long now = commits.get();
            if (closed || now == seen) {
                continue;
            }
            seen = now;
            checkpoint();
        }
    }

    private void checkpoint() {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            if (failing) {
                failing = false;
                LOG.info("background WAL checkpoints succeed again");
            }
        } catch (SQLException e) {
            if (!failing) {
                failing = true;
                LOG.warn("background WAL checkpoint failed (the writer's own checkpoints still run): {}", e.getMessage());
            }
        }
    }

    /** Stops the thread (waiting for a checkpoint in progress) and closes its connection. */
    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SqliteReadPool.closeQuietly(connection);
    }
}
