package nostr.blossom.server;

import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * A Blossom server on its own port, without a relay: the {@link BlossomHandler} on a Jetty server
 * with virtual threads, answering 404 to every other path. The relay mounts the handler on its
 * own port instead; this one serves tests and tools that need a second, independent server (for
 * example the client's multi-server fallback). Binds 127.0.0.1 unless told otherwise.
 */
public final class BlossomServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final BlossomHandler handler;

    private BlossomServer(Server server, ServerConnector connector, BlossomHandler handler) {
        this.server = server;
        this.connector = connector;
        this.handler = handler;
    }

    /**
     * Starts a server on {@code host:port} (port 0 picks a free one). The options' public URL is
     * replaced by {@code http://host:<bound port>} when {@code deriveUrl} is true.
     */
    public static BlossomServer start(String host, int port, BlossomOptions options, BlobIndex index, boolean deriveUrl)
            throws Exception {
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("blossom");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        connector.open(); // binds now, so the chosen port is known before the handler is made
        BlossomOptions effective = options;
        if (deriveUrl) {
            String h = host.contains(":") ? "[" + host + "]" : host;
            effective = options.withPublicUrl(URI.create("http://" + h + ":" + connector.getLocalPort()));
        }
        BlossomHandler handler;
        try {
            handler = BlossomHandler.create(effective, index);
        } catch (IOException e) {
            connector.close();
            throw e;
        }
        server.setHandler(new Handler.Sequence(handler, new NotFound()));
        server.start();
        return new BlossomServer(server, connector, handler);
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The server's base URL, as descriptors carry it. */
    public URI url() {
        return handler.options().publicUrl();
    }

    /** The handler (its files and index). */
    public BlossomHandler handler() {
        return handler;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class NotFound extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Response.writeError(request, response, callback, 404, "not found");
            return true;
        }
    }
}
