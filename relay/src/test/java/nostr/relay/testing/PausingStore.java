package nostr.relay.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.relay.store.EventSink;
import nostr.relay.store.EventStore;
import nostr.relay.store.Query;
import nostr.relay.store.StoreException;
import nostr.relay.store.StoredEvent;
import nostr.relay.store.WriteStatus;

/** The real store, with a hook that holds a query at its start or its end. */
public final class PausingStore implements EventStore {
    private final EventStore delegate;
    private final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile CountDownLatch paused;
    private volatile CountDownLatch release;
    private volatile boolean atEnd;

    public PausingStore(EventStore delegate) {
        this.delegate = delegate;
    }

    public void pauseAtStart() {
        arm(false);
    }

    public void pauseAtEnd() {
        arm(true);
    }

    private void arm(boolean end) {
        atEnd = end;
        paused = new CountDownLatch(1);
        release = new CountDownLatch(1);
        armed.set(true);
    }

    public void awaitPaused() throws InterruptedException {
        assertTrue(paused.await(20, TimeUnit.SECONDS), "query never reached the pause");
    }

    public void release() {
        release.countDown();
    }

    private void hold() {
        if (!armed.compareAndSet(true, false)) {
            return;
        }
        paused.countDown();
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void query(Query query, EventSink sink) throws StoreException {
        if (!atEnd) {
            hold();
        }
        delegate.query(query, sink);
        if (atEnd) {
            hold();
        }
    }

    @Override
    public List<WriteStatus> write(List<Event> events) throws StoreException {
        return delegate.write(events);
    }

    @Override
    public Optional<StoredEvent> get(String id) throws StoreException {
        return delegate.get(id);
    }

    @Override
    public long count(List<Filter> filters, long nowSeconds, nostr.relay.store.Visibility visibility) throws StoreException {
        return delegate.count(filters, nowSeconds, visibility);
    }

    @Override
    public int deleteByRequest(Event deletionRequest) throws StoreException {
        return delegate.deleteByRequest(deletionRequest);
    }

    @Override
    public long countAuthors(List<Filter> filters, long nowSeconds, nostr.relay.store.Visibility visibility, AuthorSink authors)
            throws StoreException {
        return delegate.countAuthors(filters, nowSeconds, visibility, authors);
    }

    @Override
    public Applied writeDeletionRequest(Event deletionRequest) throws StoreException {
        return delegate.writeDeletionRequest(deletionRequest);
    }

    @Override
    public int vanish(String pubkey, long untilSeconds) throws StoreException {
        return delegate.vanish(pubkey, untilSeconds);
    }

    @Override
    public int purgeExpired(long nowSeconds) throws StoreException {
        return delegate.purgeExpired(nowSeconds);
    }

    @Override
    public int purgeKindOlderThan(int kind, long cutoffSeconds) throws StoreException {
        return delegate.purgeKindOlderThan(kind, cutoffSeconds);
    }

    @Override
    public long size() throws StoreException {
        return delegate.size();
    }

    @Override
    public void scanItems(Filter filter, long nowSeconds, nostr.relay.store.Visibility visibility, ItemSink sink)
            throws StoreException {
        delegate.scanItems(filter, nowSeconds, visibility, sink);
    }

    @Override
    public void setChangeListener(ChangeListener listener) {
        delegate.setChangeListener(listener);
    }
}
