package nostr.core.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import nostr.core.event.Event;
import nostr.core.filter.Filter;

/**
 * A client of one Nostr relay over a WebSocket (NIP-01), with NIP-42 authentication, NIP-45
 * counts and NIP-77 negentropy reconciliation.
 *
 * <pre>{@code
 * try (RelayClient relay = RelayClient.connect("ws://127.0.0.1:7777", ClientOptions.defaults())) {
 *     PublishResult ok = relay.publish(event).get();
 *     Subscription sub = relay.subscribe(List.of(filter), (url, e) -> System.out.println(e.json()));
 * }
 * }</pre>
 *
 * <p>Behaviour:
 * <ul>
 * <li>{@link #publish} completes with the relay's OK, or fails with a {@link RelayException}
 *     ({@code TIMEOUT} after {@link ClientOptions#requestTimeout()}).</li>
 * <li>{@link #subscribe} delivers stored events, EOSE once, then live events, until
 *     {@link Subscription#close()} or the relay's CLOSED.</li>
 * <li>With a {@link ClientOptions#signer()}, AUTH challenges are answered; a publish refused
 *     {@code auth-required:} and a REQ or COUNT closed {@code auth-required:} are sent once more
 *     after the relay accepts the AUTH.</li>
 * <li>When the connection drops, the client reconnects on the {@link ClientOptions#backoff()}
 *     schedule and re-sends open subscriptions and unanswered requests (a subscription past its
 *     EOSE resumes with {@code since} 60 s before the drop and no {@code limit}; ids it already
 *     delivered are dropped and its EOSE is not repeated).
 *     When it gives up, pending requests fail with {@code CONNECTION_LOST} and subscriptions get
 *     {@link SubscriptionListener#onFailure}.</li>
 * </ul>
 * Methods are thread-safe. Listener callbacks run on the connection's reader thread.
 */
public final class RelayClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("nostr.core.client");

    private final String url;
    private final URI uri;
    private final ClientOptions options;
    private final RelaySession session;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private WebSocketConnection connection;
    private Thread reconnector;

    private RelayClient(String url, URI uri, ClientOptions options) {
        this.url = url;
        this.uri = uri;
        this.options = options;
        this.session = new RelaySession(url, options);
    }

    /**
     * Connects with {@link ClientOptions#defaults()}.
     *
     * @see #connect(String, ClientOptions)
     */
    public static RelayClient connect(String url) throws RelayException {
        return connect(url, ClientOptions.defaults());
    }

    /**
     * Opens a connection to {@code url}, waiting at most {@link ClientOptions#connectTimeout()}.
     *
     * @param url a {@code ws://} or {@code wss://} relay URL
     * @throws IllegalArgumentException when {@code url} is not a ws/wss URL
     * @throws RelayException {@code CONNECT_FAILED} (refused, unknown host, upgrade refused) or
     *     {@code TIMEOUT}, with a message naming the relay and the reason
     */
    public static RelayClient connect(String url, ClientOptions options) throws RelayException {
        Objects.requireNonNull(options, "options");
        RelayClient c = new RelayClient(url, parseUrl(url), options);
        c.attach(WebSocketConnection.open(url, c.uri, options.connectTimeout(), options.maxMessageChars(),
                options.pingInterval(), c.handler()));
        return c;
    }

    /** Checks that {@code url} is a relay URL: {@code ws://} or {@code wss://} with a host. */
    static URI parseUrl(String url) {
        Objects.requireNonNull(url, "url");
        String lower = url.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("ws://") && !lower.startsWith("wss://")) {
            throw new IllegalArgumentException("relay URL must start with ws:// or wss://, got " + url);
        }
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a relay URL: " + url + " (" + e.getReason() + ")");
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("relay URL has no host: " + url);
        }
        return u;
    }

    /** The relay URL this client was opened with. */
    public String url() {
        return url;
    }

    /** True while a connection is up (false while reconnecting and after close). */
    public boolean isConnected() {
        lock.lock();
        try {
            return connection != null && connection.isOpen();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code ["EVENT", event]} and returns the relay's OK. A publish of an event already
     * waiting for its OK returns the same future.
     *
     * @return completes with the OK (accepted or not); fails with {@link RelayException}:
     *     {@code TIMEOUT}, {@code CONNECTION_LOST} or {@code CLIENT_CLOSED}
     */
    public CompletableFuture<PublishResult> publish(Event event) {
        Objects.requireNonNull(event, "event");
        return session.publish(event);
    }

    /**
     * Opens a subscription ({@code REQ}) with one or more filters.
     *
     * @throws IllegalArgumentException when {@code filters} is empty
     * @throws RelayException when the client is closed or gave up reconnecting
     */
    public Subscription subscribe(List<Filter> filters, SubscriptionListener listener) throws RelayException {
        Objects.requireNonNull(listener, "listener");
        RelaySession.ActiveSubscription s = session.subscribe(filters, listener);
        AtomicBoolean done = new AtomicBoolean();
        return new Subscription() {
            @Override
            public String id() {
                return s.id;
            }

            @Override
            public void close() {
                if (done.compareAndSet(false, true)) {
                    session.unsubscribe(s.id);
                }
            }
        };
    }

    /**
     * Asks for the number of events matching {@code filters} (NIP-45 {@code COUNT}).
     *
     * @return completes with the count; fails with {@link RelayException}: {@code REFUSED} when
     *     the relay answers CLOSED (the message carries its reason), {@code TIMEOUT},
     *     {@code CONNECTION_LOST}, {@code CLIENT_CLOSED}
     * @throws IllegalArgumentException when {@code filters} is empty
     */
    public CompletableFuture<CountResult> count(List<Filter> filters) {
        return session.count(filters);
    }

    /**
     * Reconciles {@code local} with the relay's events matching {@code filter} (NIP-77 negentropy):
     * sends NEG-OPEN, answers each NEG-MSG until the sets are reconciled, then NEG-CLOSE. Only ids
     * travel; upload {@link ReconcileResult#have()} with {@link #publish} and fetch
     * {@link ReconcileResult#need()} with a REQ by ids.
     *
     * <p>Each round must be answered within {@link ClientOptions#requestTimeout()}. A dropped
     * connection fails the reconciliation (it cannot resume); with a {@link ClientOptions#signer()}
     * a {@code NEG-ERR "auth-required: ..."} is retried once after AUTH.
     *
     * @param local this side's items, sorted, unchanged until the future completes
     * @param frameSizeLimit the largest message this side sends, in bytes before hex (0: no limit,
     *     else at least 4096); keep it under half the relay's {@code max_message_length}
     * @return completes with the have and need ids; fails with {@link RelayException}:
     *     {@code UNSUPPORTED} (the relay answered NOTICE, CLOSED or {@code NEG-ERR "unsupported:"},
     *     or speaks another protocol version), {@code REFUSED} (any other NEG-ERR: the message
     *     carries the relay's reason, e.g. {@code blocked: this query is too big}), {@code TIMEOUT}
     *     (no answer in time; a relay that ignores NEG-OPEN ends here), {@code CONNECTION_LOST},
     *     {@code CLIENT_CLOSED}
     * @throws IllegalArgumentException for a frame size limit between 1 and 4095
     */
    public CompletableFuture<ReconcileResult> reconcile(Filter filter, nostr.core.negentropy.NegentropyStorage local,
                                                        long frameSizeLimit) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(local, "local");
        nostr.core.negentropy.Negentropy.checkFrameSizeLimit(frameSizeLimit);
        return session.reconcile(filter, local, frameSizeLimit);
    }

    /**
     * Closes the connection: sends what is queued (such as CLOSE messages) and a WebSocket close
     * frame, waiting up to a second for them to go out. Pending requests fail with
     * {@code CLIENT_CLOSED}; listeners are not called. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        WebSocketConnection c;
        Thread r;
        lock.lock();
        try {
            c = connection;
            connection = null;
            r = reconnector;
        } finally {
            lock.unlock();
        }
        session.fail(new RelayException(RelayException.Kind.CLIENT_CLOSED, url + ": client closed"), true);
        if (r != null) {
            r.interrupt();
        }
        if (c != null) {
            try {
                c.close().get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: close frame not sent: {1}", url, e.toString());
            }
        }
    }

    // ---- connection management --------------------------------------------------------------

    private WebSocketConnection.Handler handler() {
        return new WebSocketConnection.Handler() {
            @Override
            public void onMessage(String text) {
                session.receive(text);
            }

            @Override
            public void onLost(WebSocketConnection c, RelayException cause) {
                connectionLost(c, cause);
            }
        };
    }

    private void attach(WebSocketConnection c) {
        lock.lock();
        try {
            if (closed.get()) {
                c.close();
                return;
            }
            connection = c;
            session.connected(c::send);
        } finally {
            lock.unlock();
        }
        // It may have dropped before it was attached, when its loss was ignored.
        if (!c.isOpen()) {
            connectionLost(c, new RelayException(RelayException.Kind.CONNECTION_LOST, url + ": connection lost"));
        }
    }

    private void connectionLost(WebSocketConnection c, RelayException cause) {
        lock.lock();
        try {
            if (closed.get() || connection != c) {
                return;
            }
            connection = null;
            session.disconnected();
            LOG.log(System.Logger.Level.DEBUG, "{0}", cause.getMessage());
            if (options.backoff().maxAttempts() == 0) {
                closed.set(true);
            } else {
                reconnector = Thread.ofVirtual().name("reconnect " + url).start(() -> reconnect(cause));
                return;
            }
        } finally {
            lock.unlock();
        }
        session.fail(cause, false);
    }

    private void reconnect(RelayException firstCause) {
        Backoff backoff = options.backoff();
        RelayException last = firstCause;
        for (int attempt = 0; attempt < backoff.maxAttempts(); attempt++) {
            Duration wait = backoff.delay(attempt, ThreadLocalRandom.current().nextDouble());
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            if (closed.get()) {
                return;
            }
            try {
                WebSocketConnection c = WebSocketConnection.open(url, uri, options.connectTimeout(),
                        options.maxMessageChars(), options.pingInterval(), handler());
                LOG.log(System.Logger.Level.DEBUG, "{0}: reconnected after {1} attempt(s)", url, attempt + 1);
                attach(c);
                return;
            } catch (RelayException e) {
                last = e;
                if (e.kind() == RelayException.Kind.CLIENT_CLOSED) {
                    return;
                }
            }
        }
        if (closed.compareAndSet(false, true)) {
            String why = last.getMessage().startsWith(url + ": ")
                    ? last.getMessage().substring(url.length() + 2) : last.getMessage();
            session.fail(new RelayException(RelayException.Kind.CONNECTION_LOST, url + ": gave up reconnecting after "
                    + backoff.maxAttempts() + " attempt(s); last error: " + why, last), false);
        }
    }
}
