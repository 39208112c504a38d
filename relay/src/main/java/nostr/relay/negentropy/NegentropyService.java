package nostr.relay.negentropy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import nostr.relay.config.NegentropyConfig;
import nostr.relay.jobs.BackgroundJob;
import nostr.relay.store.EventStore;
import nostr.relay.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay-wide side of NIP-77 (strfry's RelayNegentropy stage): the whole-store index, the pool
 * of virtual threads sessions run on, and the cap on how many of them read the store or reconcile
 * at once ({@code max_concurrent_queries}, shared in spirit with REQ's stored phases). Each
 * connection gets its own {@link NegentropySessions}; this keeps the list of them so idle sessions
 * can be swept.
 *
 * <p>The index is loaded on a virtual thread after start (sessions read the store until it is
 * ready), then rebuilt in the background every {@code neg_index_rebuild_interval_seconds}.
 */
public final class NegentropyService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NegentropyService.class);

    private final EventStore store;
    private final NegentropyConfig config;
    private final NegentropyIndex index;
    private final Clock clock;
    private final Semaphore permits;
    private final Duration permitWait;
    private final int maxSubidLength;
    private final NegentropyMetrics metrics;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<NegentropySessions> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param excludedKinds kinds the index leaves out (those some readers may not see); merged in
     *     per session for readers who may
     * @param maxConcurrent sessions working (store scan or reconcile) at once
     * @param permitWait how long a session waits for its turn before it is refused {@code error:}
     */
    public NegentropyService(EventStore store, NegentropyConfig config, Set<Integer> excludedKinds, Clock clock,
                             int maxConcurrent, Duration permitWait, int maxSubidLength, PrometheusRegistry registry) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.index = config.indexEnabled() ? new NegentropyIndex(excludedKinds, config.indexMaxItems()) : null;
        this.permits = new Semaphore(maxConcurrent, true);
        this.permitWait = permitWait;
        this.maxSubidLength = maxSubidLength;
        this.metrics = new NegentropyMetrics(registry, index);
    }

    /**
     * What the store committed (its change listener, registered by the relay): keeps the index
     * equal to the store.
     */
    public void committed(java.util.List<EventStore.Change> changes) {
        if (index != null) {
            index.committed(changes);
        }
    }

    /**
     * Events another relay node stored in the shared database (cluster mode: where the remote feed
     * hands them to fan-out): this node's store listener never hears of them, so the index is told
     * here. Removals other nodes make reach the index at its next rebuild, or through
     * {@link NegentropyIndex#removed} when a cluster reports them.
     */
    public void storedElsewhere(java.util.List<nostr.core.event.Event> events) {
        if (index == null) {
            return;
        }
        for (nostr.core.event.Event e : events) {
            index.added(e.createdAt(), nostr.core.Hex.decode(e.id()), e.kind(), e.expiration().orElse(0));
        }
    }

    /** Starts loading the index in the background (no-op without one). */
    public void start() {
        if (index == null) {
            return;
        }
        executor.execute(() -> {
            try {
                long started = System.nanoTime();
                long n = index.rebuild(store, nowSeconds());
                if (n >= 0) {
                    LOG.info("negentropy index loaded: {} events, about {} MiB, in {} ms", n, index.bytes() >> 20,
                            (System.nanoTime() - started) / 1_000_000);
                }
            } catch (StoreException | RuntimeException e) {
                LOG.warn("could not load the negentropy index; sessions read the store until the next rebuild: {}",
                        e.toString());
            }
        });
    }

    /** The whole-store index, or null when it is switched off. */
    public NegentropyIndex index() {
        return index;
    }

    public NegentropyConfig config() {
        return config;
    }

    /** The sessions of a new connection; {@code out} receives its NEG-MSG and NEG-ERR frames. */
    public NegentropySessions open(Consumer<String> out) {
        NegentropySessions s = new NegentropySessions(this, out);
        connections.add(s);
        return s;
    }

    void forget(NegentropySessions s) {
        connections.remove(s);
    }

    EventStore store() {
        return store;
    }

    ExecutorService executor() {
        return executor;
    }

    Semaphore permits() {
        return permits;
    }

    Duration permitWait() {
        return permitWait;
    }

    int maxSubidLength() {
        return maxSubidLength;
    }

    NegentropyMetrics metrics() {
        return metrics;
    }

    long nowSeconds() {
        return clock.millis() / 1000;
    }

    long nowNanos() {
        return System.nanoTime();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes sessions idle past {@code neg_idle_timeout_seconds}; returns how many. */
    long sweepIdle() {
        long now = nowNanos();
        long swept = 0;
        for (NegentropySessions s : connections) {
            swept += s.closeIdle(now, config.idleTimeout().toNanos());
        }
        return swept;
    }

    /** The background jobs: the periodic index rebuild and the idle-session sweep. */
    public java.util.List<BackgroundJob> jobs() {
        Duration sweepEvery = Duration.ofMillis(Math.max(100, Math.min(5000, config.idleTimeout().toMillis() / 4)));
        BackgroundJob sweep = new BackgroundJob() {
            @Override
            public String name() {
                return "negentropy_idle_sweep";
            }

            @Override
            public Duration interval() {
                return sweepEvery;
            }

            @Override
            public long run() {
                return sweepIdle();
            }
        };
        if (index == null) {
            return java.util.List.of(sweep);
        }
        BackgroundJob rebuild = new BackgroundJob() {
            @Override
            public String name() {
                return "negentropy_index_rebuild";
            }

            @Override
            public Duration interval() {
                return config.indexRebuildInterval();
            }

            @Override
            public long run() throws StoreException {
                return Math.max(0, index.rebuild(store, nowSeconds()));
            }
        };
        return java.util.List.of(sweep, rebuild);
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }
}
