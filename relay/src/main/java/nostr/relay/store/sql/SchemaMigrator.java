package nostr.relay.store.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nostr.core.Hex;
import nostr.relay.store.StoreException;

/**
 * Brings a database schema up to date from an ordered list of SQL scripts, recording each applied
 * version (with the script's SHA-256) in {@code schema_version}.
 *
 * <p>All pending scripts run in one transaction: a failure leaves the schema as it was. A script
 * whose text changed after it was applied, or a database newer than this program, is refused
 * with a message naming the version, so that a wrong binary never writes to a database it does
 * not understand.
 */
public final class SchemaMigrator {

    /** One schema version: its number (1, 2, ...), what it does, and its class-path script. */
    public record Migration(int version, String description, String resource) {
        public Migration {
            if (version < 1) {
                throw new IllegalArgumentException("migration versions start at 1, got " + version);
            }
        }
    }

    private SchemaMigrator() {}

    /**
     * Applies the pending {@code migrations} on {@code c} (which this method puts into manual
     * commit mode and commits). {@code lockSql}, when not null, runs first inside the transaction
     * to serialize concurrent migrators (PostgreSQL: an advisory transaction lock).
     *
     * @return the schema version after migrating
     */
    public static int migrate(Connection c, List<Migration> migrations, String lockSql) throws StoreException {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migrations must be numbered 1.." + migrations.size() + " in order");
            }
        }
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                if (lockSql != null) {
                    st.execute(lockSql);
                }
                st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "description TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            }
            Map<Integer, String> applied = new HashMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT version, checksum FROM schema_version")) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), rs.getString(2));
                }
            }
            int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (newest > migrations.size()) {
                throw new StoreException("database schema version " + newest + " is newer than this program, which knows "
                        + "versions up to " + migrations.size() + "; upgrade the relay");
            }
            for (Migration m : migrations) {
                SqlScript script = SqlScript.load(m.resource());
                String checksum = sha256(script.text());
                String known = applied.get(m.version());
                if (known != null) {
                    if (!known.equals(checksum)) {
                        throw new StoreException("schema version " + m.version() + " (" + m.description()
                                + ") was applied from a different script than " + m.resource() + " holds now");
                    }
                    continue;
                }
                try (Statement st = c.createStatement()) {
                    for (String sql : script.statements()) {
                        st.execute(sql);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_version (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.description());
                    ps.setString(3, checksum);
                    ps.setLong(4, System.currentTimeMillis() / 1000);
                    ps.executeUpdate();
                }
            }
            c.commit();
            return migrations.size();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw new StoreException("schema migration failed: " + e.getMessage(), e);
        } catch (StoreException e) {
            rollbackQuietly(c, e);
            throw e;
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String sha256(String text) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
