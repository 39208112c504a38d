package nostr.relay.count;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import nostr.core.filter.Filter;
import nostr.core.message.RelayMessage;
import nostr.relay.config.Limits;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.query.SearchLimits;
import nostr.relay.store.EventStore;
import nostr.relay.store.StoreException;
import nostr.relay.store.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIP-45 {@code COUNT}: the exact number of stored, unexpired events matching any of the filters
 * (limits ignored, each event once), answered {@code ["COUNT", <id>, {"count": n}]}, with the
 * HyperLogLog registers ({@code "hll"}) when the request is one filter with exactly one tag
 * attribute and a {@code kinds} list: the shape of every "common filter" the NIP lists (reactions,
 * reposts, quotes, replies, comments, followers) and the only shape whose offset the NIP defines
 * unambiguously (the "first" tag attribute of a JSON object with one). Refusals are
 * {@code ["CLOSED", <id>, "<prefix>: reason"]}, as NIP-45 requires: {@code invalid:} (a malformed
 * filter, query id too long, too many filters, a search string over its bounds), the read
 * restriction's {@code auth-required:}, {@code restricted:} or {@code blocked:} (the connection
 * checks it first: {@code nostr.relay.policy.ReadRestriction}, shared with REQ, which also keeps
 * other people's gift wraps out of every count), {@code error:} (the store failed, the time budget
 * ran out, the relay is busy).
 *
 * <p>Counts run on virtual threads, at most {@code max_concurrent_queries} at once (waiting for a
 * turn within the REQ time budget). A count with registers streams the authors of the counted
 * events and is CLOSED {@code error:} when it outlasts the budget; a plain count is one SQL
 * aggregate and is answered when it completes. A COUNT holds no subscription: nothing is sent
 * after its answer.
 */
public final class CountRequests implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CountRequests.class);

    private final EventStore store;
    private final Limits limits;
    private final Duration budget;
    private final Semaphore permits;
    private final RelayMetrics metrics;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public CountRequests(EventStore store, Limits limits, Duration budget, int maxConcurrent, RelayMetrics metrics) {
        this.store = store;
        this.limits = limits;
        this.budget = budget;
        this.permits = new Semaphore(maxConcurrent, true);
        this.metrics = metrics;
    }

    /**
     * Checks a COUNT and starts it; {@code reply} gets exactly one message (COUNT or CLOSED JSON),
     * at once when refused, else from another thread. The relay's read restriction has already
     * allowed it: {@code filters} as it returned them, counted with its {@code visibility}, so
     * COUNT sees exactly what REQ sees.
     */
    public void start(String id, List<Filter> filters, Visibility visibility, long nowSeconds, Consumer<String> reply) {
        start(id, filters, shapeRefusal(id, filters), visibility, nowSeconds, reply);
    }

    private void start(String id, List<Filter> filters, String refusal, Visibility visibility, long nowSeconds,
                       Consumer<String> reply) {
        if (refusal != null) {
            metrics.reqClosed(refusal);
            reply.accept(RelayMessage.closed(id, refusal));
            return;
        }
        executor.execute(() -> reply.accept(run(id, filters, visibility, nowSeconds)));
    }

    private String shapeRefusal(String id, List<Filter> filters) {
        if (id.length() > limits.maxSubidLength()) {
            return "invalid: query id is longer than " + limits.maxSubidLength() + " characters";
        }
        if (filters.size() > limits.maxFilters()) {
            return "invalid: too many filters (" + filters.size() + ", limit " + limits.maxFilters() + ")";
        }
        return SearchLimits.check(filters);
    }

    /** The HLL offset when {@code filters} have the shape that gets registers, else -1. */
    static int hllOffset(List<Filter> filters) {
        if (filters.size() != 1) {
            return -1;
        }
        Filter f = filters.getFirst();
        if (f.tags().size() != 1 || f.kinds() == null || f.kinds().isEmpty()) {
            return -1;
        }
        Map.Entry<Character, Set<String>> tag = f.tags().entrySet().iterator().next();
        if (tag.getValue().isEmpty()) {
            return -1;
        }
        return HyperLogLog.offset(tag.getValue().iterator().next());
    }

    private String run(String id, List<Filter> filters, Visibility visibility, long nowSeconds) {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        String closed;
        try {
            if (!permits.tryAcquire(budget.toNanos(), TimeUnit.NANOSECONDS)) {
                closed = "error: the relay is busy with other queries; try again later";
            } else {
                try {
                    return answer(id, filters, visibility, nowSeconds, deadline, started);
                } finally {
                    permits.release();
                }
            }
        } catch (StoreException e) {
            LOG.warn("count {} failed: {}", id, e.getMessage());
            closed = "error: could not count stored events, the database is unavailable; try again later";
        } catch (BudgetExceeded e) {
            closed = "error: the count took longer than " + budget.toMillis() + " ms; use a narrower filter";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = "error: the relay is shutting down";
        } catch (RuntimeException e) {
            LOG.error("count {} failed", id, e);
            closed = "error: the count failed inside the relay";
        }
        metrics.reqClosed(closed);
        return RelayMessage.closed(id, closed);
    }

    private String answer(String id, List<Filter> filters, Visibility visibility, long nowSeconds, long deadline,
                          long started) throws StoreException {
        int offset = hllOffset(filters);
        long count;
        String hll = null;
        if (offset >= 0) {
            HyperLogLog registers = new HyperLogLog(offset);
            long[] seen = new long[1];
            boolean[] late = new boolean[1];
            count = store.countAuthors(filters, nowSeconds, visibility, pubkey -> {
                registers.add(pubkey);
                if ((++seen[0] & 1023) == 0 && System.nanoTime() > deadline) {
                    late[0] = true;
                    return false;
                }
                return true;
            });
            if (late[0]) {
                throw new BudgetExceeded();
            }
            hll = registers.hex();
        } else {
            count = store.count(filters, nowSeconds, visibility);
        }
        metrics.counted(hll != null, System.nanoTime() - started);
        return RelayMessage.count(id, count, false, hll);
    }

    /** The time budget ran out while counting. */
    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /** Stops starting counts and interrupts running ones. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
