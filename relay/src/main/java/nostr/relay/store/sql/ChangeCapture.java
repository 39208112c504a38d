package nostr.relay.store.sql;

import java.util.ArrayList;
import java.util.List;
import nostr.relay.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what one write transaction stores and removes, and hands it to the store's
 * {@link EventStore.ChangeListener} once the transaction has committed (discarded on rollback).
 * The adapter's transaction wrapper calls {@link #begin}, {@link #committed} and
 * {@link #rolledBack}; the statements that insert or delete events call {@link #stored} and
 * {@link #removed}. Work runs on the thread that opened the transaction, so the open collection
 * lives in a thread-local and no SQL method needs an extra parameter. Nothing is collected while
 * no listener is registered.
 */
public final class ChangeCapture {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeCapture.class);

    private final ThreadLocal<List<EventStore.Change>> open = new ThreadLocal<>();
    private volatile EventStore.ChangeListener listener;

    /** Registers the listener (null: none). */
    public void setListener(EventStore.ChangeListener l) {
        listener = l;
    }

    /** A write transaction starts on this thread. */
    public void begin() {
        open.set(listener == null ? null : new ArrayList<>());
    }

    /** The open transaction stored an event. */
    public void stored(long createdAt, byte[] id, int kind, long expiresAt) {
        List<EventStore.Change> l = open.get();
        if (l != null) {
            l.add(new EventStore.Change.Stored(createdAt, id.clone(), kind, expiresAt));
        }
    }

    /** The open transaction removed an event. */
    public void removed(long createdAt, byte[] id) {
        List<EventStore.Change> l = open.get();
        if (l != null) {
            l.add(new EventStore.Change.Removed(createdAt, id.clone()));
        }
    }

    /** The transaction committed: the listener hears of its changes. */
    public void committed() {
        List<EventStore.Change> l = open.get();
        open.remove();
        EventStore.ChangeListener target = listener;
        if (l == null || l.isEmpty() || target == null) {
            return;
        }
        try {
            target.committed(List.copyOf(l));
        } catch (RuntimeException e) {
            LOG.error("a store change listener failed", e);
        }
    }

    /** The transaction rolled back: what it collected never happened. */
    public void rolledBack() {
        open.remove();
    }
}
