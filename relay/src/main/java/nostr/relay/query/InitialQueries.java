package nostr.relay.query;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import nostr.core.event.Event;
import nostr.relay.config.Limits;
import nostr.relay.store.EventStore;
import nostr.relay.store.Query;
import nostr.relay.store.StoreException;
import nostr.relay.subscription.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stored phase of REQs (strfry's ReqWorker): each on a virtual thread, at most
 * {@code max_concurrent_queries} reading the store at once, each under a time budget. Results
 * stream from the store's cursor straight into the subscription's outbound queue, waiting for
 * room when the client reads slowly: a result set is never held in memory. The budget covers
 * waiting for a permit, the query and the client; when it runs out the subscription is CLOSED
 * with {@code error:} (a partial answer followed by EOSE would look complete).
 */
public final class InitialQueries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InitialQueries.class);

    private final EventStore store;
    private final Limits limits;
    private final Duration budget;
    private final Semaphore permits;
    private final LongSupplier startedSeq;
    private final LongSupplier committedSeq;
    private final LongSupplier fannedOutSeq;
    private final LongSupplier remoteArrivals;
    private final LongSupplier remoteGeneration;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param committedSeq the writer's {@code committedSeq} (read before each query, see {@code Subscription})
     * @param startedSeq the writer's {@code startedSeq} (read after each query)
     * @param fannedOutSeq fan-out's {@code completedSeq}
     */
    public InitialQueries(EventStore store, Limits limits, Duration budget, int maxConcurrent,
                          LongSupplier committedSeq, LongSupplier startedSeq, LongSupplier fannedOutSeq) {
        this(store, limits, budget, maxConcurrent, committedSeq, startedSeq, fannedOutSeq, () -> 0, () -> -1);
    }

    /**
     * As above, in cluster mode.
     *
     * @param remoteArrivals fan-out's {@code remoteArrivals} (read before each query)
     * @param remoteGeneration the remote feed's generation (read after each query), -1 outside cluster mode
     */
    public InitialQueries(EventStore store, Limits limits, Duration budget, int maxConcurrent,
                          LongSupplier committedSeq, LongSupplier startedSeq, LongSupplier fannedOutSeq,
                          LongSupplier remoteArrivals, LongSupplier remoteGeneration) {
        this.remoteArrivals = remoteArrivals;
        this.remoteGeneration = remoteGeneration;
        this.store = store;
        this.limits = limits;
        this.budget = budget;
        this.permits = new Semaphore(maxConcurrent, true);
        this.startedSeq = startedSeq;
        this.committedSeq = committedSeq;
        this.fannedOutSeq = fannedOutSeq;
    }

    /**
     * Starts the stored phase of a subscription already registered in the index. With nothing
     * to query ({@code limit: 0} everywhere) EOSE is sent before this returns.
     */
    public void start(Subscription sub, long nowSeconds) {
        start(sub, nowSeconds, List.of());
    }

    /**
     * As {@link #start(Subscription, long)}, sending {@code generated} first: events the relay makes
     * for this REQ alone and never stores (NIP-43 invite claims), part of the stored phase.
     */
    public void start(Subscription sub, long nowSeconds, List<Event> generated) {
        sub.startStored(committedSeq.getAsLong(), remoteArrivals.getAsLong());
        Query q = QueryCompiler.compile(sub.filters(), limits, nowSeconds, sub.visibility());
        if (q == null && generated.isEmpty()) {
            sub.finishStored(startedSeq.getAsLong(), fannedOutSeq.getAsLong(), remoteGeneration.getAsLong());
            return;
        }
        executor.execute(() -> run(sub, q, generated));
    }

    private void run(Subscription sub, Query q, List<Event> generated) {
        long deadline = System.nanoTime() + budget.toNanos();
        try {
            for (Event e : generated) {
                if (!sub.sendStored(e.id(), e.json(), deadline)) {
                    break;
                }
            }
            if (q != null) {
                if (!permits.tryAcquire(budget.toNanos(), TimeUnit.NANOSECONDS)) {
                    sub.end("error: the relay is busy with other queries; try again later");
                    return;
                }
                try {
                    store.query(q, stored -> {
                        try {
                            return System.nanoTime() < deadline && sub.sendStored(stored.id(), stored.json(), deadline);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    });
                } finally {
                    permits.release();
                    sub.flushStored();
                }
            } else {
                sub.flushStored();
            }
            if (!sub.isCatchingUp()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                sub.end("error: the initial query took longer than " + budget.toMillis() + " ms; use a narrower filter");
                return;
            }
            // Read after the query: every event it saw was written by a batch numbered at most this.
            sub.finishStored(startedSeq.getAsLong(), fannedOutSeq.getAsLong(), remoteGeneration.getAsLong());
        } catch (StoreException e) {
            LOG.warn("stored query for subscription {} failed: {}", sub.id(), e.getMessage());
            sub.end("error: could not read stored events, the database is unavailable; try again later");
        } catch (InterruptedException e) {
            sub.end("error: the relay is shutting down");
        } catch (RuntimeException e) {
            LOG.error("stored query for subscription {} failed", sub.id(), e);
            sub.end("error: the query failed inside the relay");
        }
    }

    /** Stops starting queries and interrupts running ones. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
