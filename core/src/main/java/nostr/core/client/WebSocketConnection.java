package nostr.core.client;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket connection to a relay over the JDK client ({@code java.net.http.WebSocket}),
 * reduced to whole text messages in and out.
 *
 * <p>In: parts are joined by a {@link MessageAssembler} until the {@code last} flag, then handed to
 * the handler on the reader thread; the next part is requested only after that, so messages are
 * handled one at a time in order. Out: the JDK client allows one outstanding send, so sends are
 * chained, each starting when the previous completed. Every way the connection ends (close frame,
 * I/O error, oversized message, silence, our own close) is reported once.
 *
 * <p>Keepalive: every {@code pingInterval} a ping goes out; if nothing at all (message, pong) came
 * in since the previous ping, the connection is declared lost. Besides half-open TCP connections,
 * this catches a race in the JDK 25 client, observed in our restart tests: when the peer's EOF is
 * read while the listener is still inside {@code onText}, the JDK never signals the close, and the
 * connection would otherwise look open forever.
 */
final class WebSocketConnection implements WebSocket.Listener {
    private static final System.Logger LOG = System.getLogger("nostr.core.client");

    /** Shared by every connection: daemon selector thread, callbacks on virtual threads. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /** What the connection reports to its owner. */
    interface Handler {
        /** One whole relay message, on the reader thread. */
        void onMessage(String text);

        /** The connection is over; called once, not for {@link #close()}. */
        void onLost(WebSocketConnection connection, RelayException cause);
    }

    private final String url;
    private final Handler handler;
    private final MessageAssembler assembler;
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile long lastInboundNanos = System.nanoTime();
    private final Object sendLock = new Object();
    private CompletableFuture<Void> sendTail = CompletableFuture.completedFuture(null);
    private volatile WebSocket ws;

    private WebSocketConnection(String url, Handler handler, int maxMessageChars) {
        this.url = url;
        this.handler = handler;
        this.assembler = new MessageAssembler(maxMessageChars);
    }

    /**
     * Opens a connection, waiting at most {@code timeout}.
     *
     * @throws RelayException {@code CONNECT_FAILED} or {@code TIMEOUT}, naming the reason
     */
    static WebSocketConnection open(String url, URI uri, Duration timeout, int maxMessageChars,
                                    Duration pingInterval, Handler handler) throws RelayException {
        WebSocketConnection c = new WebSocketConnection(url, handler, maxMessageChars);
        CompletableFuture<WebSocket> f = Http.CLIENT.newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(uri, c);
        try {
            c.ws = f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            Thread.ofVirtual().name("keepalive " + url).start(() -> c.keepAlive(pingInterval));
            return c;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new RelayException(RelayException.Kind.TIMEOUT,
                    url + ": connection timed out after " + RelaySession.seconds(timeout));
        } catch (ExecutionException e) {
            throw connectFailure(url, timeout, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new RelayException(RelayException.Kind.CLIENT_CLOSED, url + ": interrupted while connecting");
        }
    }

    /** Turns the JDK's connect errors into a reason a user can act on. */
    static RelayException connectFailure(String url, Duration timeout, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException) {
                return new RelayException(RelayException.Kind.TIMEOUT,
                        url + ": connection timed out after " + RelaySession.seconds(timeout), error);
            }
            if (t instanceof WebSocketHandshakeException h) {
                return new RelayException(RelayException.Kind.CONNECT_FAILED,
                        url + ": the server refused the WebSocket upgrade (HTTP " + h.getResponse().statusCode() + ")",
                        error);
            }
            if (t instanceof ConnectException) {
                return new RelayException(RelayException.Kind.CONNECT_FAILED, url + ": connection refused", error);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new RelayException(RelayException.Kind.CONNECT_FAILED, url + ": unknown host", error);
            }
        }
        String m = error.getMessage();
        return new RelayException(RelayException.Kind.CONNECT_FAILED,
                url + ": cannot connect: " + (m == null ? error.getClass().getSimpleName() : m), error);
    }

    /** Sends one text message after those sent before it; a failure ends the connection. */
    void send(String text) {
        synchronized (sendLock) {
            sendTail = sendTail
                    .thenCompose(v -> ws.sendText(text, true))
                    .handle((w, e) -> {
                        if (e != null) {
                            lost(new RelayException(RelayException.Kind.CONNECTION_LOST,
                                    url + ": sending failed: " + describe(e), e), true);
                        }
                        return null;
                    });
        }
    }

    private void keepAlive(Duration interval) {
        long pingSentAt = System.nanoTime();
        while (!over.get()) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (over.get()) {
                return;
            }
            if (lastInboundNanos - pingSentAt < 0) {
                lost(new RelayException(RelayException.Kind.CONNECTION_LOST, url + ": no answer to a ping within "
                        + RelaySession.seconds(interval)), true);
                return;
            }
            pingSentAt = System.nanoTime();
            synchronized (sendLock) {
                sendTail = sendTail
                        .thenCompose(v -> ws.sendPing(ByteBuffer.allocate(0)))
                        .handle((w, e) -> {
                            if (e != null) {
                                lost(new RelayException(RelayException.Kind.CONNECTION_LOST,
                                        url + ": connection lost: " + describe(e), e), true);
                            }
                            return null;
                        });
            }
        }
    }

    /** Closes normally after pending sends, without reporting to the handler. */
    void close() {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        WebSocket w = ws;
        if (w == null) {
            return;
        }
        CompletableFuture<Void> tail;
        synchronized (sendLock) {
            tail = sendTail;
        }
        tail.thenCompose(v -> w.sendClose(WebSocket.NORMAL_CLOSURE, ""))
                .orTimeout(2, TimeUnit.SECONDS)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        w.abort();
                    }
                });
        // The relay answers our close frame and the JDK then closes the socket; abort if it does not.
        CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS).execute(w::abort);
    }

    /** Drops the connection at once, reporting nothing. */
    void abort() {
        over.set(true);
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
    }

    boolean isOpen() {
        return !over.get();
    }

    // ---- WebSocket.Listener -----------------------------------------------------------------

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastInboundNanos = System.nanoTime();
        String message;
        try {
            message = assembler.append(data, last);
        } catch (MessageAssembler.TooLargeException e) {
            lost(new RelayException(RelayException.Kind.CONNECTION_LOST, url + ": " + e.getMessage()), true);
            return null;
        }
        if (message != null && !over.get()) {
            try {
                handler.onMessage(message);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "handling a message from " + url + " failed", e);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastInboundNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        // The JDK answers pings itself.
        lastInboundNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastInboundNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        String why = reason == null || reason.isEmpty() ? "" : " " + reason;
        // Not aborted: the JDK answers the close frame once this returns.
        lost(new RelayException(RelayException.Kind.CONNECTION_LOST,
                url + ": closed by the relay (" + statusCode + why + ")"), false);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lost(new RelayException(RelayException.Kind.CONNECTION_LOST,
                url + ": connection lost: " + describe(error), error), true);
    }

    private void lost(RelayException cause, boolean abort) {
        if (over.compareAndSet(false, true)) {
            WebSocket w = ws;
            if (abort && w != null) {
                w.abort();
            }
            handler.onLost(this, cause);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
