package nostr.core.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import nostr.core.event.Event;
import nostr.core.filter.Filter;

/**
 * Several relays used as one: publish to all, subscribe across all with duplicates removed,
 * count on each. One {@link RelayClient} per relay; a relay that cannot be reached, refuses or
 * times out is reported in its own result and never holds up the others.
 *
 * <pre>{@code
 * try (RelayPool pool = RelayPool.connect(List.of(a, b), ClientOptions.defaults())) {
 *     for (RelayOutcome<PublishResult> r : pool.publish(event).get()) { ... }
 * }
 * }</pre>
 *
 * <p>Relays that could not be connected when the pool was opened stay failed (see
 * {@link #failures()}); connected relays reconnect on their own, as {@link RelayClient} does.
 */
public final class RelayPool implements AutoCloseable {
    private final ClientOptions options;
    private final Map<String, RelayClient> clients;
    private final Map<String, RelayException> failures;
    private final List<String> urls;
    private long nextId;

    private RelayPool(ClientOptions options, List<String> urls, Map<String, RelayClient> clients,
                      Map<String, RelayException> failures) {
        this.options = options;
        this.urls = List.copyOf(urls);
        this.clients = clients;
        this.failures = failures;
    }

    /**
     * Connects to every relay in parallel and returns once each has connected or failed (at most
     * about {@link ClientOptions#connectTimeout()}). Duplicate URLs are used once.
     *
     * @throws IllegalArgumentException when {@code urls} is empty or one is not a ws/wss URL
     */
    public static RelayPool connect(Collection<String> urls, ClientOptions options) {
        Objects.requireNonNull(options, "options");
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(urls));
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("a relay pool needs at least one relay URL");
        }
        distinct.forEach(RelayClient::parseUrl);
        Map<String, Future<RelayClient>> attempts = new LinkedHashMap<>();
        Map<String, RelayClient> clients = new LinkedHashMap<>();
        Map<String, RelayException> failures = new LinkedHashMap<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String url : distinct) {
                attempts.put(url, ex.submit(() -> RelayClient.connect(url, options)));
            }
            for (Map.Entry<String, Future<RelayClient>> a : attempts.entrySet()) {
                try {
                    clients.put(a.getKey(), a.getValue().get());
                } catch (ExecutionException e) {
                    failures.put(a.getKey(), e.getCause() instanceof RelayException r ? r
                            : new RelayException(RelayException.Kind.CONNECT_FAILED,
                                    a.getKey() + ": cannot connect: " + e.getCause(), e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.put(a.getKey(), new RelayException(RelayException.Kind.CLIENT_CLOSED,
                            a.getKey() + ": interrupted while connecting"));
                }
            }
        }
        return new RelayPool(options, distinct, clients, failures);
    }

    /** The pool's relay URLs, in the order given. */
    public List<String> urls() {
        return urls;
    }

    /** The relays that could not be connected when the pool was opened, with why. */
    public Map<String, RelayException> failures() {
        return Map.copyOf(failures);
    }

    /**
     * Publishes {@code event} to every relay.
     *
     * @return completes (never exceptionally) when every relay has answered or failed, with one
     *     outcome per relay in {@link #urls()} order
     */
    public CompletableFuture<List<RelayOutcome<PublishResult>>> publish(Event event) {
        Objects.requireNonNull(event, "event");
        return onEach(c -> c.publish(event));
    }

    /**
     * Counts on every relay (NIP-45).
     *
     * @return completes (never exceptionally) with one outcome per relay in {@link #urls()} order;
     *     a relay that refuses COUNT yields a {@link RelayOutcome.Failure} of kind {@code REFUSED}
     */
    public CompletableFuture<List<RelayOutcome<CountResult>>> count(List<Filter> filters) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("a COUNT needs at least one filter");
        }
        return onEach(c -> c.count(filters));
    }

    /**
     * Subscribes on every relay. {@code listener} gets each event once (the first copy to arrive;
     * ids are remembered up to {@link ClientOptions#dedupCapacity()}, least recently seen
     * forgotten first), {@link SubscriptionListener#onEose()} once every relay has sent EOSE,
     * CLOSED, failed, or not sent EOSE within {@link ClientOptions#eoseTimeout()} (then it gets
     * {@code onFailure} with a {@code TIMEOUT}; its later events are still delivered), and each
     * relay's CLOSED and failures. Relays that failed to connect are reported at once.
     *
     * @throws IllegalArgumentException when {@code filters} is empty
     */
    public Subscription subscribe(List<Filter> filters, SubscriptionListener listener) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("a subscription needs at least one filter");
        }
        Objects.requireNonNull(listener, "listener");
        String id;
        synchronized (this) {
            id = "pool-" + (++nextId);
        }
        PoolSubscription s = new PoolSubscription(id, urls, listener, options.dedupCapacity());
        for (String url : urls) {
            RelayException failed = failures.get(url);
            if (failed != null) {
                s.relayFailed(url, failed);
                continue;
            }
            try {
                s.add(url, clients.get(url).subscribe(filters, s.listenerFor(url)));
            } catch (RelayException e) {
                s.relayFailed(url, e);
            }
        }
        s.startEoseTimer(options.eoseTimeout());
        return s;
    }

    /** Closes every relay connection. */
    @Override
    public void close() {
        clients.values().forEach(RelayClient::close);
    }

    private <T> CompletableFuture<List<RelayOutcome<T>>> onEach(Function<RelayClient, CompletableFuture<T>> call) {
        List<CompletableFuture<RelayOutcome<T>>> parts = new ArrayList<>(urls.size());
        for (String url : urls) {
            RelayException failed = failures.get(url);
            if (failed != null) {
                parts.add(CompletableFuture.completedFuture(new RelayOutcome.Failure<>(url, failed)));
                continue;
            }
            parts.add(call.apply(clients.get(url)).handle((v, e) -> e == null
                    ? new RelayOutcome.Success<>(url, v)
                    : new RelayOutcome.Failure<>(url, asRelayException(url, e))));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(v -> parts.stream().map(CompletableFuture::join).toList());
    }

    private static RelayException asRelayException(String url, Throwable e) {
        Throwable t = e;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RelayException r ? r
                : new RelayException(RelayException.Kind.CONNECTION_LOST, url + ": " + t, t);
    }
}
