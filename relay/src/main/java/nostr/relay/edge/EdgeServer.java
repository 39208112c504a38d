package nostr.relay.edge;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import nostr.relay.config.Limits;
import nostr.relay.config.Tuning;
import nostr.relay.connection.Connection;
import nostr.relay.connection.Transport;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.policy.IpAddresses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty 12 edge: one port, WebSocket upgrades on {@code /} (Jetty's core WebSocket API, no
 * Jakarta layer) and plain HTTP ({@link HttpRoutes}) for everything else. Every task runs on
 * virtual threads; an idle connection holds no thread and no read buffer.
 *
 * <p>It also keeps idle connections honest: those quiet for {@code ping_interval} get a ping
 * (a live client's pong counts as traffic, NATs stay open), and connections closed as slow
 * consumers are cut off if they do not finish closing within a few seconds.
 */
public final class EdgeServer implements AutoCloseable {
    /** WebSocket frames are read in pieces of at most this size; messages are limited separately. */
    private static final int MAX_FRAME_PIECE = 64 * 1024;
    private static final Duration ABORT_GRACE = Duration.ofSeconds(5);
    private static final int OUTPUT_BUFFER = 32 * 1024;
    private static final int HTTP_INPUT_BUFFER = 64 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final Handler.Sequence http;
    private final Set<RelaySocket> sockets = ConcurrentHashMap.newKeySet();
    private final HttpRoutes routes;
    private volatile Predicate<InetAddress> refused = address -> false;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("edge-timers").daemon(true).factory());

    /**
     * @param connections makes the {@link Connection} of a new socket
     * @param info the current NIP-11 document
     * @param healthy whether the store answers (for /health)
     */
    public EdgeServer(String host, int port, Limits limits, Tuning tuning, Function<Transport, Connection> connections,
                      Supplier<String> info, RelayMetrics metrics, BooleanSupplier healthy, String storeName) {
        this(host, port, limits, tuning, connections, info, metrics, healthy, storeName, ConnectionGate.OPEN, false);
    }

    /**
     * @param gate decides per client address whether a WebSocket may open
     * @param trustProxy take the client address from the last X-Forwarded-For entry
     */
    public EdgeServer(String host, int port, Limits limits, Tuning tuning, Function<Transport, Connection> connections,
                      Supplier<String> info, RelayMetrics metrics, BooleanSupplier healthy, String storeName,
                      ConnectionGate gate, boolean trustProxy) {
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("edge");
        server = new Server(threads);
        // Large request bodies (Blossom uploads) are read in pieces of this size, not Jetty's default 8 KiB;
        // the buffer is pooled and held only while a read is in progress.
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setInputBufferSize(HTTP_INPUT_BUFFER);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(httpConfig));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(tuning.idleTimeout().toMillis());
        server.addConnector(connector);

        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler();
        ws.getConfiguration().setIdleTimeout(tuning.idleTimeout());
        ws.getConfiguration().setMaxFrameSize(MAX_FRAME_PIECE);
        ws.getConfiguration().setAutoFragment(true);
        ws.getConfiguration().setMaxTextMessageSize(-1);
        ws.getConfiguration().setMaxBinaryMessageSize(-1);
        // Messages up to a quarter of this are copied into one buffer per write (pooled, only while writing).
        ws.getConfiguration().setOutputBufferSize(OUTPUT_BUFFER);
        int maxMessage = limits.maxMessageLength();
        // Exactly "/": NIP-01 wants one endpoint, not one per path.
        ws.addMapping("^/$", new WebSocketNegotiator.AbstractNegotiator() {
            @Override
            public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
                String ip = clientIp(request, trustProxy);
                InetAddress address = ip.isEmpty() ? null : IpBlocklist.parse(ip).orElse(null);
                ConnectionGate.Refusal refusal = address != null && refused.test(address)
                        ? new ConnectionGate.Refusal(403, "blocked: connections from this address are refused by the relay operator",
                                "blocked")
                        : gate.check(ip);
                if (refusal != null) {
                    metrics.connectionRefused(refusal.metric());
                    Response.writeError(request, response, callback, refusal.status(), refusal.reason());
                    return null;
                }
                return new RelaySocket(connections, EdgeServer.this, maxMessage, ip);
            }
        });
        routes = new HttpRoutes(info, metrics, healthy, storeName);
        http = new Handler.Sequence(routes);
        ws.setHandler(http);
        server.setHandler(ws);
        server.setStopTimeout(5_000);

        long ping = tuning.pingInterval().toMillis();
        if (ping > 0) {
            timers.scheduleWithFixedDelay(() -> pingQuiet(ping), ping, ping, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The client's address: the socket's peer, or behind a trusted proxy the last entry of
     * X-Forwarded-For (the one the proxy appended; anything before it came from the client).
     */
    static String clientIp(Request request, boolean trustProxy) {
        if (trustProxy) {
            String forwarded = IpAddresses.fromForwardedFor(request.getHeaders().get(HttpHeader.X_FORWARDED_FOR));
            if (forwarded != null) {
                return forwarded;
            }
        }
        return IpAddresses.normalize(Request.getRemoteAddr(request));
    }

    /**
     * Puts {@code routes} in front of the relay's own HTTP routes (before {@link #start()}): it
     * answers the requests it claims (its {@code handle} returns true) and leaves the rest, including
     * WebSocket upgrades, NIP-11 and /metrics, to the relay. The relay mounts Blossom this way.
     */
    public void mount(Handler routes) {
        List<Handler> handlers = new ArrayList<>(http.getHandlers());
        handlers.add(handlers.size() - 1, routes);
        http.setHandlers(handlers);
    }

    /** Binds the port (so that {@link #port()} is known) without serving yet; {@link #start()} does both. */
    public void bind() throws java.io.IOException {
        connector.open();
    }

    /** Refuses WebSocket upgrades (403) from addresses this says are blocked (NIP-86 blockip). */
    public void refuseConnectionsFrom(Predicate<InetAddress> blocked) {
        this.refused = blocked;
    }

    /** Serves {@code POST /} with {@code handler} (the NIP-86 management API). */
    public void mountPost(PostHandler handler) {
        routes.mountPost(handler);
    }

    /**
     * Closes the open WebSockets whose client address is {@code address} (the TCP peer, or behind
     * a trusted proxy the forwarded address); returns how many.
     */
    public int closeConnectionsFrom(InetAddress address, int code, String reason) {
        int n = 0;
        for (RelaySocket s : sockets) {
            if (s.connection() != null && address.equals(s.remoteAddress())) {
                s.connection().close(code, reason);
                n++;
            }
        }
        return n;
    }

    /** Binds the port and starts serving. */
    public void start() throws Exception {
        server.start();
    }

    /** The bound port (the chosen one when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Open WebSocket connections. */
    public int connectionCount() {
        return sockets.size();
    }

    /** Stops taking new connections; existing ones keep working. */
    public void stopAccepting() {
        connector.setAccepting(false);
    }

    /** Closes every open WebSocket with this code and reason. */
    public void closeAll(int code, String reason) {
        for (RelaySocket s : sockets) {
            if (s.connection() != null) {
                s.connection().close(code, reason);
            }
        }
    }

    /** True when no connection has outgoing bytes left (for a graceful shutdown). */
    public boolean outboundDrained() {
        for (RelaySocket s : sockets) {
            if (s.connection() != null && s.connection().outbound().pendingBytes() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Stops the server (open connections are closed). */
    @Override
    public void close() throws Exception {
        timers.shutdownNow();
        server.stop();
    }

    void opened(RelaySocket s) {
        sockets.add(s);
    }

    void closed(RelaySocket s) {
        sockets.remove(s);
    }

    void abortLater(RelaySocket s) {
        try {
            timers.schedule(s::abort, ABORT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            s.abort();
        }
    }

    private void pingQuiet(long intervalMillis) {
        long quietSince = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        for (RelaySocket s : sockets) {
            if (s.lastInboundNanos() - quietSince < 0 && s.isOpen()) {
                s.ping();
            }
        }
    }
}
