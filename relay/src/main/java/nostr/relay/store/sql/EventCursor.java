package nostr.relay.store.sql;

import java.sql.SQLException;
import nostr.relay.store.StoredEvent;

/**
 * A forward-only stream of stored events, in NIP-01 order (created_at descending, then id
 * ascending) unless the producer documents another order. Reading is lazy: a cursor over a
 * JDBC result set fetches rows as {@link #next()} asks for them.
 */
public interface EventCursor extends AutoCloseable {

    /** Moves to the next event; false at the end. */
    boolean next() throws SQLException;

    /** The event {@link #next()} moved to. */
    StoredEvent current();

    @Override
    void close() throws SQLException;

    /** A cursor that yields nothing (a filter that can match nothing, or a zero limit). */
    static EventCursor empty() {
        return new EventCursor() {
            @Override
            public boolean next() {
                return false;
            }

            @Override
            public StoredEvent current() {
                throw new IllegalStateException("empty cursor");
            }

            @Override
            public void close() {}
        };
    }
}
