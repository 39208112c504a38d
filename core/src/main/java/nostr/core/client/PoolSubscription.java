package nostr.core.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import nostr.core.event.Event;

/**
 * One subscription across a pool's relays. Each relay's events pass through a bounded id window
 * ({@link BoundedIdSet}) so the listener sees an event once, whichever relay delivered it first.
 * The pool's EOSE is sent when no relay is still in its stored phase: each relay leaves it by
 * EOSE, CLOSED, failure, or the EOSE timer. All listener calls happen under one lock, so they
 * never overlap even though relays deliver on their own threads.
 */
final class PoolSubscription implements Subscription {
    private static final System.Logger LOG = System.getLogger("nostr.core.client");

    private final String id;
    private final SubscriptionListener listener;
    private final BoundedIdSet seen;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Subscription> relaySubscriptions = new LinkedHashMap<>();
    private final Set<String> storedPhase;
    private boolean eoseSent;
    private boolean closed;

    PoolSubscription(String id, List<String> urls, SubscriptionListener listener, int dedupCapacity) {
        this.id = id;
        this.listener = listener;
        this.seen = new BoundedIdSet(dedupCapacity);
        this.storedPhase = new LinkedHashSet<>(urls);
    }

    @Override
    public String id() {
        return id;
    }

    /** The listener the relay {@code url}'s subscription reports to. */
    SubscriptionListener listenerFor(String url) {
        return new SubscriptionListener() {
            @Override
            public void onEvent(String relayUrl, Event event) {
                lock.lock();
                try {
                    if (!closed && seen.add(event.id())) {
                        call(() -> listener.onEvent(relayUrl, event));
                    }
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void onEose() {
                lock.lock();
                try {
                    leaveStoredPhase(url);
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void onClosed(String relayUrl, String reason) {
                lock.lock();
                try {
                    relaySubscriptions.remove(url);
                    if (!closed) {
                        call(() -> listener.onClosed(relayUrl, reason));
                    }
                    leaveStoredPhase(url);
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void onFailure(String relayUrl, RelayException error) {
                relayFailed(relayUrl, error);
            }
        };
    }

    void add(String url, Subscription s) {
        lock.lock();
        try {
            if (!closed) {
                relaySubscriptions.put(url, s);
                return;
            }
        } finally {
            lock.unlock();
        }
        s.close();
    }

    void relayFailed(String url, RelayException error) {
        lock.lock();
        try {
            relaySubscriptions.remove(url);
            if (!closed) {
                call(() -> listener.onFailure(url, error));
            }
            leaveStoredPhase(url);
        } finally {
            lock.unlock();
        }
    }

    void startEoseTimer(Duration timeout) {
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            lock.lock();
            try {
                for (String url : new ArrayList<>(storedPhase)) {
                    if (!closed) {
                        RelayException e = new RelayException(RelayException.Kind.TIMEOUT,
                                url + ": no EOSE within " + RelaySession.seconds(timeout));
                        call(() -> listener.onFailure(url, e));
                    }
                    leaveStoredPhase(url);
                }
            } finally {
                lock.unlock();
            }
        });
    }

    @Override
    public void close() {
        List<Subscription> toClose;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(relaySubscriptions.values());
            relaySubscriptions.clear();
        } finally {
            lock.unlock();
        }
        toClose.forEach(Subscription::close);
    }

    /** Caller holds the lock. */
    private void leaveStoredPhase(String url) {
        if (storedPhase.remove(url) && storedPhase.isEmpty() && !eoseSent) {
            eoseSent = true;
            if (!closed) {
                call(listener::onEose);
            }
        }
    }

    private static void call(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a pool subscription listener threw", e);
        }
    }
}
