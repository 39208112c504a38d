package nostr.relay.store.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import nostr.core.Hex;
import nostr.relay.store.StoredEvent;

/**
 * A cursor over a statement whose first five columns are id (bytes), pubkey (bytes), created_at,
 * kind and the raw JSON text. Owns the statement and closes it.
 */
public final class ResultSetCursor implements EventCursor {
    private final PreparedStatement statement;
    private ResultSet rows;
    private StoredEvent current;

    /** Wraps a prepared, bound statement; it is executed on the first {@link #next()}. */
    public ResultSetCursor(PreparedStatement statement) {
        this.statement = statement;
    }

    @Override
    public boolean next() throws SQLException {
        if (rows == null) {
            rows = statement.executeQuery();
        }
        if (!rows.next()) {
            current = null;
            return false;
        }
        current = read(rows);
        return true;
    }

    /** Reads the current row of a result set laid out as described above. */
    public static StoredEvent read(ResultSet rs) throws SQLException {
        return new StoredEvent(Hex.encode(rs.getBytes(1)), Hex.encode(rs.getBytes(2)), rs.getLong(3), rs.getInt(4),
                rs.getString(5));
    }

    @Override
    public StoredEvent current() {
        if (current == null) {
            throw new IllegalStateException("no current row");
        }
        return current;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (rows != null) {
                rows.close();
            }
        } finally {
            statement.close();
        }
    }
}
