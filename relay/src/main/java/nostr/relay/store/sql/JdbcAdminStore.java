package nostr.relay.store.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nostr.relay.store.AdminStore;
import nostr.relay.store.Listed;
import nostr.relay.store.StoreException;

/**
 * Run-time relay settings and the moderation queue in plain tables ({@code V2__moderation.sql} of
 * each adapter). Settings come back ordered by key; the queue oldest first.
 */
public final class JdbcAdminStore implements AdminStore {
    private final Transactions tx;

    public JdbcAdminStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void putSetting(String key, String value) throws StoreException {
        Checks.nonEmpty("setting key", key);
        Checks.text("setting value", value);
        tx.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO settings (key, value) VALUES (?, ?) "
                    + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Map<String, String> settings() throws StoreException {
        return tx.read(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM settings ORDER BY key");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    /** Queues the event (again: the reason is updated, its place in the queue kept). */
    @Override
    public void flagEvent(String id, String reason) throws StoreException {
        Checks.hex64("event id", id);
        Checks.text("reason", reason);
        tx.write(c -> {
            JdbcModerationStore.upsert(c, "moderation_queue", "id", id, reason);
            return null;
        });
    }

    @Override
    public void unflagEvent(String id) throws StoreException {
        tx.write(c -> {
            JdbcModerationStore.delete(c, "moderation_queue", "id", id);
            return null;
        });
    }

    @Override
    public List<Listed> eventsNeedingModeration() throws StoreException {
        return tx.read(c -> {
            List<Listed> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, reason FROM moderation_queue ORDER BY seq");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Listed(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
    }
}
