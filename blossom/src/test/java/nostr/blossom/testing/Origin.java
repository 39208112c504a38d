package nostr.blossom.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plain HTTP origin on 127.0.0.1 (the JDK's built-in server, not Blossom) serving fixed bytes
 * at fixed paths: the remote a {@code PUT /mirror} fetches from, or a server that lies.
 */
public final class Origin implements AutoCloseable {
    private record Item(int status, String type, byte[] body, String location) {}

    private final HttpServer server;
    private final Map<String, Item> items = new ConcurrentHashMap<>();

    private Origin(HttpServer server) {
        this.server = server;
    }

    public static Origin start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Origin o = new Origin(s);
        s.createContext("/", ex -> {
            Item it = o.items.get(ex.getRequestURI().getPath());
            if (it == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            if (it.type() != null) {
                ex.getResponseHeaders().add("Content-Type", it.type());
            }
            if (it.location() != null) {
                ex.getResponseHeaders().add("Location", it.location());
            }
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.getResponseHeaders().add("Content-Length", Integer.toString(it.body().length));
            ex.sendResponseHeaders(it.status(), head || it.body().length == 0 ? -1 : it.body().length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(it.body());
                }
            }
            ex.close();
        });
        s.start();
        return o;
    }

    /** Serves {@code body} with 200 at {@code path}. */
    public URI serve(String path, String type, byte[] body) {
        items.put(path, new Item(200, type, body, null));
        return url(path);
    }

    /** Answers {@code path} with a redirect to {@code location}. */
    public URI redirect(String path, String location) {
        items.put(path, new Item(302, null, new byte[0], location));
        return url(path);
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
