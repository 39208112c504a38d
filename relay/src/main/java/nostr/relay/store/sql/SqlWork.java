package nostr.relay.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import nostr.relay.store.StoreException;

/** Work done on a connection inside a transaction the caller opens and ends. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException, StoreException;
}
