package nostr.relay.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import nostr.relay.metrics.RelayMetrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Plain HTTP on the relay's port (requests that are not WebSocket upgrades):
 * <ul>
 *   <li>{@code /} with {@code Accept: application/nostr+json}: the NIP-11 document, with the CORS
 *       headers NIP-11 requires (also on {@code OPTIONS} preflights); otherwise a one-line page;</li>
 *   <li>{@code /metrics}: Prometheus text format;</li>
 *   <li>{@code /health}: 200 when the store answers, 503 when it does not;</li>
 *   <li>{@code POST /}: the NIP-86 management API, when one is mounted ({@link PostHandler}).</li>
 * </ul>
 */
final class HttpRoutes extends Handler.Abstract {
    static final String NOSTR_JSON = "application/nostr+json";

    private final Supplier<String> info;
    private final RelayMetrics metrics;
    private final BooleanSupplier healthy;
    private final String storeName;
    private volatile PostHandler post;

    /**
     * @param info the current NIP-11 document
     * @param healthy whether the store answers now
     */
    HttpRoutes(Supplier<String> info, RelayMetrics metrics, BooleanSupplier healthy, String storeName) {
        this.info = info;
        this.metrics = metrics;
        this.healthy = healthy;
        this.storeName = storeName;
    }

    /** Serves {@code POST /} with {@code handler} (NIP-86); without one, POST gets 405. */
    void mountPost(PostHandler handler) {
        this.post = handler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        boolean get = HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method);
        switch (path) {
            case "/" -> {
                cors(response);
                PostHandler handler = post;
                if (HttpMethod.OPTIONS.is(method)) {
                    response.setStatus(HttpStatus.NO_CONTENT_204);
                    callback.succeeded();
                } else if (HttpMethod.POST.is(method) && handler != null) {
                    // Edge threads are virtual: a blocking read of a bounded body is fine here.
                    byte[] body;
                    try (var in = Content.Source.asInputStream(request)) {
                        body = in.readNBytes(handler.maxBodyBytes() + 1);
                    }
                    PostHandler.Answer a = handler.post(request.getHeaders().get(HttpHeader.CONTENT_TYPE),
                            request.getHeaders().get(HttpHeader.AUTHORIZATION), body);
                    if (a.status() == HttpStatus.UNAUTHORIZED_401) {
                        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Nostr");
                    }
                    send(response, callback, a.status(), "application/json", a.json() + "\n", method);
                } else if (!get) {
                    send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain; charset=utf-8", "use GET\n", method);
                } else if (acceptsNostrJson(request)) {
                    send(response, callback, HttpStatus.OK_200, NOSTR_JSON, info.get(), method);
                } else {
                    send(response, callback, HttpStatus.OK_200, "text/plain; charset=utf-8",
                            "Parrhesia Nostr relay. Connect a Nostr client to this URL over WebSocket.\n", method);
                }
            }
            case "/metrics" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
                metrics.writeText(out);
                send(response, callback, HttpStatus.OK_200, metrics.contentType(), out.toByteArray(), method);
            }
            case "/health" -> {
                boolean ok = healthy.getAsBoolean();
                send(response, callback, ok ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503, "application/json",
                        "{\"status\":\"" + (ok ? "ok" : "unavailable") + "\",\"store\":\"" + storeName + "\"}\n", method);
            }
            default -> send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain; charset=utf-8", "not found\n", method);
        }
        return true;
    }

    private static boolean acceptsNostrJson(Request request) {
        for (String accept : request.getHeaders().getValuesList(HttpHeader.ACCEPT)) {
            if (accept.contains(NOSTR_JSON)) {
                return true;
            }
        }
        return false;
    }

    private static void cors(Response response) {
        response.getHeaders().put("Access-Control-Allow-Origin", "*");
        // "*" does not cover Authorization (Fetch standard): NIP-86 browser clients need it named.
        response.getHeaders().put("Access-Control-Allow-Headers", "Authorization, *");
        response.getHeaders().put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    }

    private static void send(Response response, Callback callback, int status, String type, String body, String method) {
        send(response, callback, status, type, body.getBytes(StandardCharsets.UTF_8), method);
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body, String method) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (HttpMethod.HEAD.is(method)) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
