package nostr.relay.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import nostr.relay.store.AdminStore;
import nostr.relay.store.CommitJournal;
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
import nostr.relay.store.sql.SchemaMigrator;
import nostr.relay.store.sql.SchemaMigrator.Migration;
import nostr.relay.store.sql.ChangeCapture;
import nostr.relay.store.sql.SqlWork;
import nostr.relay.store.sql.Transactions;

/**
 * The PostgreSQL storage backend, for large relays and clusters of relay nodes sharing one
 * database.
 *
 * <p>Three connection pools keep the paths from starving each other: ingest (the group-commit
 * writer, deletions), reads (REQ, COUNT) and maintenance (migrations, partitions, expiry purge,
 * moderation, groups, admin). Every connection runs with {@code synchronous_commit = on}, so a
 * commit has been flushed to the WAL when it returns: the relay answers OK only after that.
 * When the database goes away, calls fail with {@link StoreException} after at most the connection
 * timeout; Hikari drops broken connections and opens new ones once the server is back, so the
 * store recovers on its own.
 */
public final class PostgresStorage implements Storage {

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "partitioned events, ids, tags, replaceable heads", "/nostr/relay/store/postgres/V1__events.sql"),
            new Migration(2, "moderation, groups, settings", "/nostr/relay/store/postgres/V2__moderation.sql"),
            new Migration(3, "deletion and vanish memory", "/nostr/relay/store/postgres/V3__deletions.sql"),
            new Migration(4, "NIP-50 full-text index", "/nostr/relay/store/postgres/V4__search.sql"),
            new Migration(5, "Blossom blob metadata", "/nostr/relay/store/postgres/V5__blobs.sql"),
            new Migration(6, "cluster commit journal", "/nostr/relay/store/postgres/V6__cluster_journal.sql"));

    private final PostgresOptions options;
    private final HikariDataSource ingest;
    private final HikariDataSource reads;
    private final HikariDataSource maintenance;
    private final PostgresPartitions partitions;
    private final PostgresEventStore events;
    private final ModerationStore moderation;
    private final GroupStore groups;
    private final AdminStore admin;
    private final BlobIndex blobs;
    private final PostgresMaintenance maintenanceStore;
    private final ChangeCapture changes = new ChangeCapture();
    private final PostgresCommitJournal journal;
    private volatile boolean closed;

    private PostgresStorage(PostgresOptions options, HikariDataSource ingest, HikariDataSource reads,
                            HikariDataSource maintenance) {
        this.options = options;
        this.ingest = ingest;
        this.reads = reads;
        this.maintenance = maintenance;
        this.partitions = new PostgresPartitions(maintenance, options);
        this.events = new PostgresEventStore(this, partitions);
        Transactions tx = new Transactions() {
            @Override
            public <T> T write(SqlWork<T> work) throws StoreException {
                return maintain(work);
            }

            @Override
            public <T> T read(SqlWork<T> work) throws StoreException {
                return maintain(work);
            }

            @Override
            public int removeEvents(Connection c, List<String> ids) throws SQLException {
                return events.removeEvents(c, ids);
            }
        };
        this.moderation = new JdbcModerationStore(tx);
        this.groups = new JdbcGroupStore(tx);
        this.admin = new JdbcAdminStore(tx);
        // Blob reads (every GET checks the index) use the read pool, not the two maintenance connections.
        this.blobs = new JdbcBlobIndex(new Transactions() {
            @Override
            public <T> T write(SqlWork<T> work) throws StoreException {
                return maintain(work);
            }

            @Override
            public <T> T read(SqlWork<T> work) throws StoreException {
                return PostgresStorage.this.read(work);
            }

            @Override
            public int removeEvents(Connection c, List<String> ids) throws SQLException {
                return events.removeEvents(c, ids);
            }
        }, true);
        this.maintenanceStore = new PostgresMaintenance(this);
        this.journal = new PostgresCommitJournal(this, events);
    }

    /**
     * Connects, creates the schema if missing, applies pending migrations and creates the current
     * partitions.
     *
     * @throws StoreException if the database is unreachable, refuses the credentials, or its
     *         schema is newer than this program
     */
    public static PostgresStorage open(PostgresOptions options) throws StoreException {
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            HikariDataSource maintenance = pool(options, "maintenance", options.maintenanceConnections(), false);
            pools.add(maintenance);
            try (Connection c = maintenance.getConnection()) {
                try (Statement st = c.createStatement()) {
                    // The name is validated by PostgresOptions ([a-z_][a-z0-9_]*), so it is safe in DDL.
                    st.execute("CREATE SCHEMA IF NOT EXISTS \"" + options.schema() + "\"");
                }
                c.commit();
                SchemaMigrator.migrate(c, MIGRATIONS, "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.migrations'))");
            }
            HikariDataSource ingest = pool(options, "ingest", options.ingestConnections(), false);
            pools.add(ingest);
            HikariDataSource reads = pool(options, "read", options.readConnections(), true);
            pools.add(reads);
            PostgresStorage s = new PostgresStorage(options, ingest, reads, maintenance);
            s.partitions.start(System.currentTimeMillis() / 1000);
            return s;
        } catch (SQLException | RuntimeException | StoreException e) {
            pools.forEach(HikariDataSource::close);
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("cannot open postgres storage " + options.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(PostgresOptions o, String role, int size, boolean readOnly) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("parrhesia-" + role);
        hc.setJdbcUrl(o.jdbcUrl());
        hc.setUsername(o.user());
        hc.setPassword(o.password());
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setAutoCommit(false);
        hc.setReadOnly(readOnly);
        long timeout = o.connectionTimeout().toMillis();
        hc.setConnectionTimeout(timeout);
        hc.setValidationTimeout(Math.max(250, timeout / 2));
        hc.setInitializationFailTimeout(timeout);
        hc.setConnectionInitSql("SET synchronous_commit TO on");
        hc.addDataSourceProperty("currentSchema", o.schema());
        hc.addDataSourceProperty("ApplicationName", "parrhesia-" + role);
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, timeout / 1000)));
        return new HikariDataSource(hc);
    }

    @Override
    public String name() {
        return "postgres";
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
        return maintenanceStore;
    }

    @Override
    public BlobIndex blobs() {
        return blobs;
    }

    /** Several relay nodes share this store: cluster mode's commit journal. */
    @Override
    public java.util.Optional<CommitJournal> journal() {
        return java.util.Optional.of(journal);
    }

    public PostgresOptions options() {
        return options;
    }

    /** What committed write transactions changed (for {@code EventStore.setChangeListener}). */
    ChangeCapture changes() {
        return changes;
    }

    /** Partitions of events known to exist (tests and metrics). */
    PostgresPartitions partitions() {
        return partitions;
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

    /** Runs {@code work} in one transaction on an ingest connection; committed (durably) on return. */
    <T> T ingest(SqlWork<T> work) throws StoreException {
        return transact(ingest, "ingest", work);
    }

    /** Runs {@code work} in one read-only transaction on a read connection. */
    <T> T read(SqlWork<T> work) throws StoreException {
        return transact(reads, "read", work);
    }

    /** Runs {@code work} in one transaction on a maintenance connection. */
    <T> T maintain(SqlWork<T> work) throws StoreException {
        return transact(maintenance, "maintenance", work);
    }

    /**
     * Runs {@code work} on a maintenance connection in autocommit mode, each statement its own
     * transaction (VACUUM refuses to run inside one).
     */
    <T> T autocommit(SqlWork<T> work) throws StoreException {
        if (closed) {
            throw new StoreException("postgres storage is closed");
        }
        try (Connection c = maintenance.getConnection()) {
            c.setAutoCommit(true);
            try {
                return work.run(c);
            } finally {
                c.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw new StoreException("postgres (maintenance): " + e.getMessage(), e);
        }
    }

    private <T> T transact(HikariDataSource pool, String role, SqlWork<T> work) throws StoreException {
        if (closed) {
            throw new StoreException("postgres storage is closed");
        }
        boolean writes = pool != reads;
        try (Connection c = pool.getConnection()) {
            if (writes) {
                changes.begin();
            }
            try {
                T result = work.run(c);
                c.commit();
                if (writes) {
                    changes.committed();
                }
                return result;
            } catch (SQLException | StoreException | RuntimeException | Error e) {
                if (writes) {
                    changes.rolledBack();
                }
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("postgres (" + role + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ingest.close();
        reads.close();
        maintenance.close();
    }
}
