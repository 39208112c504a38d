package nostr.relay.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import nostr.relay.store.StoreException;

/**
 * How an adapter runs work for the shared stores: which connection, which pool, one transaction
 * each, SQL errors turned into {@link StoreException}. Also how it removes stored events, which
 * differs between schemas (banning an event removes it).
 */
public interface Transactions {

    /** Runs {@code work} in one write transaction, committed (durably) when it returns. */
    <T> T write(SqlWork<T> work) throws StoreException;

    /** Runs {@code work} in one read transaction. */
    <T> T read(SqlWork<T> work) throws StoreException;

    /** Removes the stored events with these ids (hex), with everything indexing them; returns how many. */
    int removeEvents(Connection c, List<String> ids) throws SQLException;
}
