package nostr.relay.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import nostr.relay.store.Listed;
import nostr.relay.store.ModerationStore;
import nostr.relay.store.StoreException;

/**
 * Bans, allowlists, blocked IPs and allowed kinds in plain tables ({@code V2__moderation.sql} of
 * each adapter); the same SQL runs on SQLite and PostgreSQL. Adding an entry that exists updates
 * its reason; removing one that does not exist does nothing. Lists are ordered by value.
 */
public final class JdbcModerationStore implements ModerationStore {
    private final Transactions tx;

    public JdbcModerationStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void banPubkey(String pubkey, String reason) throws StoreException {
        put("banned_pubkeys", "pubkey", Checks.hex64("pubkey", pubkey), reason);
    }

    @Override
    public void unbanPubkey(String pubkey) throws StoreException {
        remove("banned_pubkeys", "pubkey", pubkey);
    }

    @Override
    public List<Listed> bannedPubkeys() throws StoreException {
        return list("banned_pubkeys", "pubkey");
    }

    @Override
    public void allowPubkey(String pubkey, String reason) throws StoreException {
        put("allowed_pubkeys", "pubkey", Checks.hex64("pubkey", pubkey), reason);
    }

    @Override
    public void unallowPubkey(String pubkey) throws StoreException {
        remove("allowed_pubkeys", "pubkey", pubkey);
    }

    @Override
    public List<Listed> allowedPubkeys() throws StoreException {
        return list("allowed_pubkeys", "pubkey");
    }

    /** Records the ban, removes the event if stored and takes it off the moderation queue, in one transaction. */
    @Override
    public void banEvent(String id, String reason) throws StoreException {
        Checks.hex64("event id", id);
        Checks.text("reason", reason);
        tx.write(c -> {
            upsert(c, "banned_events", "id", id, reason);
            tx.removeEvents(c, List.of(id));
            delete(c, "moderation_queue", "id", id);
            return null;
        });
    }

    /** Lifts the ban and takes the event off the moderation queue; the reason is not kept. */
    @Override
    public void allowEvent(String id, String reason) throws StoreException {
        Checks.text("reason", reason);
        tx.write(c -> {
            delete(c, "banned_events", "id", id);
            delete(c, "moderation_queue", "id", id);
            return null;
        });
    }

    @Override
    public List<Listed> bannedEvents() throws StoreException {
        return list("banned_events", "id");
    }

    @Override
    public void blockIp(String ip, String reason) throws StoreException {
        put("blocked_ips", "ip", Checks.nonEmpty("ip", ip), reason);
    }

    @Override
    public void unblockIp(String ip) throws StoreException {
        remove("blocked_ips", "ip", ip);
    }

    @Override
    public List<Listed> blockedIps() throws StoreException {
        return list("blocked_ips", "ip");
    }

    @Override
    public void allowKind(int kind) throws StoreException {
        checkKind(kind);
        tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO allowed_kinds (kind) VALUES (?) ON CONFLICT DO NOTHING")) {
                ps.setInt(1, kind);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void disallowKind(int kind) throws StoreException {
        tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM allowed_kinds WHERE kind = ?")) {
                ps.setInt(1, kind);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Integer> allowedKinds() throws StoreException {
        return tx.read(c -> {
            List<Integer> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kind FROM allowed_kinds ORDER BY kind");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
            return out;
        });
    }

    private static void checkKind(int kind) {
        if (kind < 0 || kind > 65535) {
            throw new IllegalArgumentException("kind must be between 0 and 65535, got " + kind);
        }
    }

    // Table and column names below are constants of this class, never input.

    private void put(String table, String column, String value, String reason) throws StoreException {
        Checks.text("reason", reason);
        tx.write(c -> {
            upsert(c, table, column, value, reason);
            return null;
        });
    }

    private void remove(String table, String column, String value) throws StoreException {
        tx.write(c -> {
            delete(c, table, column, value);
            return null;
        });
    }

    private List<Listed> list(String table, String column) throws StoreException {
        return tx.read(c -> {
            List<Listed> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + column + ", reason FROM " + table + " ORDER BY " + column);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Listed(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }

    static void upsert(Connection c, String table, String column, String value, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + column + ", reason, created_at) "
                + "VALUES (?, ?, ?) ON CONFLICT (" + column + ") DO UPDATE SET reason = excluded.reason")) {
            ps.setString(1, value);
            ps.setString(2, reason);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    static void delete(Connection c, String table, String column, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " = ?")) {
            ps.setString(1, value);
            ps.executeUpdate();
        }
    }
}
