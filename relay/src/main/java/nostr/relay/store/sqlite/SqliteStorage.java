package nostr.relay.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import nostr.relay.store.AdminStore;
import nostr.relay.store.EventStore;
import nostr.relay.store.GroupStore;
import nostr.relay.store.MaintenanceStore;
import nostr.relay.store.ModerationStore;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import nostr.blossom.server.BlobIndex;
import nostr.relay.store.sql.JdbcAdminStore;
import nostr.relay.store.sql.JdbcBlobIndex;
import nostr.relay.store.sql.JdbcGroupStore;
import nostr.relay.store.sql.JdbcModerationStore;
import nostr.relay.store.sql.ChangeCapture;
import nostr.relay.store.sql.SchemaMigrator;
import nostr.relay.store.sql.SchemaMigrator.Migration;
import nostr.relay.store.sql.SqlWork;
import nostr.relay.store.sql.Transactions;
import org.sqlite.SQLiteConfig;

/**
 * The embedded storage backend: one SQLite file ({@value #FILE_NAME}) in WAL mode.
 *
 * <p>One writer connection, guarded by a lock, takes every mutation (the relay's group-commit
 * writer and the NIP-86 admin calls); each write is one {@code BEGIN IMMEDIATE ... COMMIT}. With
 * {@code synchronous=FULL} (the default) a commit has reached the disk when it returns, so an
 * acknowledged event survives kill -9 and power loss. A pool of query-only connections serves
 * reads concurrently with the writer: under WAL readers see the last commit and never block it.
 * A background {@link SqliteCheckpointer} copies the WAL into the database file, so the writer
 * only appends. The schema is created and upgraded by versioned migrations at open.
 */
public final class SqliteStorage implements Storage {
    /** The database file name inside the data directory. */
    public static final String FILE_NAME = "parrhesia.db";

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "events and tag index", "/nostr/relay/store/sqlite/V1__events.sql"),
            new Migration(2, "moderation, groups, settings", "/nostr/relay/store/sqlite/V2__moderation.sql"),
            new Migration(3, "deletion and vanish memory", "/nostr/relay/store/sqlite/V3__deletions.sql"),
            new Migration(4, "NIP-50 full-text index", "/nostr/relay/store/sqlite/V4__search.sql"),
            new Migration(5, "Blossom blob metadata", "/nostr/relay/store/sqlite/V5__blobs.sql"),
            new Migration(6, "64-hex tag values as 32-byte blobs", "/nostr/relay/store/sqlite/V6__tag_blobs.sql"));

    private final Path file;
    private final SqliteOptions options;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final SqliteReadPool readers;
    private final SqliteEventStore events;
    private final ModerationStore moderation;
    private final GroupStore groups;
    private final AdminStore admin;
    private final BlobIndex blobs;
    private final SqliteMaintenance maintenance;
    private final SqliteCheckpointer checkpointer;
    private final ChangeCapture changes = new ChangeCapture();
    private volatile boolean closed;

    private SqliteStorage(Path file, SqliteOptions options, Connection writer, SqliteReadPool readers,
                          SqliteCheckpointer checkpointer) throws SQLException {
        this.file = file;
        this.checkpointer = checkpointer;
        this.options = options;
        this.writer = writer;
        this.readers = readers;
        this.events = new SqliteEventStore(this, writer);
        Transactions tx = new Transactions() {
            @Override
            public <T> T write(SqlWork<T> work) throws StoreException {
                return SqliteStorage.this.write(work);
            }

            @Override
            public <T> T read(SqlWork<T> work) throws StoreException {
                return SqliteStorage.this.read(work);
            }

            @Override
            public int removeEvents(Connection c, List<String> ids) throws SQLException {
                return events.removeEvents(c, ids);
            }
        };
        this.moderation = new JdbcModerationStore(tx);
        this.groups = new JdbcGroupStore(tx);
        this.admin = new JdbcAdminStore(tx);
        this.blobs = new JdbcBlobIndex(tx, false);
        this.maintenance = new SqliteMaintenance(this);
    }

    /**
     * Opens (creating if needed) the database in {@code dataDir}, applies pending migrations and
     * opens the connections.
     *
     * @throws StoreException if the directory or file cannot be used, WAL cannot be enabled, or
     *         the schema is newer than this program
     */
    public static SqliteStorage open(Path dataDir, SqliteOptions options) throws StoreException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        Connection writer = null;
        List<Connection> readers = new ArrayList<>();
        Connection checkpoints = null;
        try {
            writer = connect(file, options, false);
            SchemaMigrator.migrate(writer, MIGRATIONS, null);
            writer.setAutoCommit(true);
            for (int i = 0; i < options.readConnections(); i++) {
                readers.add(connect(file, options, true));
            }
            if (!options.checkpointInterval().isZero()) {
                checkpoints = connect(file, options, false);
            }
            return new SqliteStorage(file, options, writer,
                    new SqliteReadPool(readers, Math.max(1000, options.busyTimeout().toMillis())),
                    checkpoints == null ? null : new SqliteCheckpointer(checkpoints, options.checkpointInterval().toMillis()));
        } catch (SQLException | StoreException | RuntimeException e) {
            for (Connection c : readers) {
                SqliteReadPool.closeQuietly(c);
            }
            if (checkpoints != null) {
                SqliteReadPool.closeQuietly(checkpoints);
            }
            if (writer != null) {
                SqliteReadPool.closeQuietly(writer);
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("cannot open sqlite database " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path file, SqliteOptions o, boolean queryOnly) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout((int) o.busyTimeout().toMillis());
        cfg.enforceForeignKeys(true);
        Connection c = cfg.createConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                String mode = rs.next() ? rs.getString(1) : "";
                if (!"wal".equals(mode.toLowerCase(Locale.ROOT))) {
                    throw new SQLException("the file system refused WAL mode (journal_mode is '" + mode + "')");
                }
            }
            st.execute("PRAGMA synchronous = " + o.synchronous().name());
            st.execute("PRAGMA cache_size = -" + ((queryOnly ? o.cacheMib() : o.writerCacheMib()) * 1024L));
            st.execute("PRAGMA mmap_size = " + (o.mmapMib() * 1024L * 1024L));
            st.execute("PRAGMA temp_store = MEMORY");
            if (queryOnly) {
                st.execute("PRAGMA query_only = 1");
            } else {
                // The writer checkpoints by itself only past this many WAL pages (the background
                // checkpointer does the rest); afterwards a WAL that grew during a burst is cut
                // back to the size the backstop lets it reach, or 64 MiB.
                st.execute("PRAGMA wal_autocheckpoint = " + o.walAutocheckpointPages());
                st.execute("PRAGMA journal_size_limit = " + Math.max(64L << 20, o.walAutocheckpointPages() * 4096L));

            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public ModerationStore moderation() {
        return moderation;
    }

    @Override
    public GroupStore groups() {
        return groups;
    }

    @Override
    public AdminStore admin() {
        return admin;
    }

    @Override
    public MaintenanceStore maintenance() {
        return maintenance;
    }

    @Override
    public BlobIndex blobs() {
        return blobs;
    }

    /** What committed write transactions changed (for {@code EventStore.setChangeListener}). */
    ChangeCapture changes() {
        return changes;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** The options it was opened with. */
    public SqliteOptions options() {
        return options;
    }

    @Override
    public boolean isHealthy() {
        if (closed) {
            return false;
        }
        try {
            return read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (StoreException e) {
            return false;
        }
    }

    /**
     * Runs {@code work} in one write transaction on the writer connection; commits when it returns
     * (durable on return under synchronous FULL), rolls back when it throws.
     */
    <T> T write(SqlWork<T> work) throws StoreException {
        writeLock.lock();
        try {
            if (closed) {
                throw new StoreException("sqlite storage is closed");
            }
            try (Statement st = writer.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                throw new StoreException("sqlite: cannot begin a write transaction: " + e.getMessage(), e);
            }
            changes.begin();
            try {
                T result = work.run(writer);
                try (Statement st = writer.createStatement()) {
                    st.execute("COMMIT");
                }
                if (checkpointer != null) {
                    checkpointer.committed();
                }
                changes.committed();
                return result;
            } catch (SQLException e) {
                rollback(e);
                throw new StoreException("sqlite: " + e.getMessage(), e);
            } catch (StoreException | RuntimeException | Error e) {
                rollback(e);
                throw e;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} outside any transaction on a connection of its own, opened for the call,
     * while holding the write lock so the writer connection stays idle (statements that refuse to
     * run in a transaction or beside unfinished statements of their connection: VACUUM, WAL
     * checkpoints; the writer's cached FTS5 insert counts as unfinished).
     */
    <T> T exclusive(SqlWork<T> work) throws StoreException {
        writeLock.lock();
        try {
            if (closed) {
                throw new StoreException("sqlite storage is closed");
            }
            try (Connection c = connect(file, options, false)) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new StoreException("sqlite: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void rollback(Throwable cause) {
        changes.rolledBack();
        try (Statement st = writer.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Runs {@code work} on a read connection inside one read transaction (one snapshot for every
     * statement it runs), then ends the transaction and returns the connection.
     */
    <T> T read(SqlWork<T> work) throws StoreException {
        Connection c = readers.borrow();
        try {
            try (Statement st = c.createStatement()) {
                st.execute("BEGIN");
            }
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("sqlite: " + e.getMessage(), e);
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // no transaction was open (BEGIN failed); the connection is still usable
            }
            readers.release(c);
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (checkpointer != null) {
                checkpointer.close();
            }
            readers.close();
            events.closeStatements();
            SqliteReadPool.closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }
}
