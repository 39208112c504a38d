package nostr.relay.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import nostr.relay.store.StoreException;

/**
 * A fixed set of query-only connections. Under WAL each reader sees a consistent snapshot while
 * the writer commits, so REQs never wait for the writer; the pool size bounds how many queries
 * run at once (the rest wait their turn, at most {@code waitMillis}).
 */
final class SqliteReadPool implements AutoCloseable {
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all;
    private final long waitMillis;
    private volatile boolean closed;

    SqliteReadPool(List<Connection> connections, long waitMillis) {
        this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
        this.all = new ArrayList<>(connections);
        this.waitMillis = waitMillis;
    }

    Connection borrow() throws StoreException {
        if (closed) {
            throw new StoreException("sqlite storage is closed");
        }
        try {
            Connection c = idle.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (c == null) {
                throw new StoreException("no sqlite read connection free after " + waitMillis + " ms");
            }
            if (closed) {
                closeQuietly(c);
                throw new StoreException("sqlite storage is closed");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a sqlite read connection", e);
        }
    }

    void release(Connection c) {
        if (closed) {
            closeQuietly(c);
        } else {
            idle.add(c);
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            closeQuietly(c);
        }
    }

    /** Every connection of the pool (for closing what is still borrowed at shutdown). */
    List<Connection> connections() {
        return all;
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing at shutdown; nothing left to protect
        }
    }
}
