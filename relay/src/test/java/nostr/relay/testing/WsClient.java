package nostr.relay.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;

/**
 * A minimal Nostr client over the JDK's WebSocket, for integration tests: sends text, records
 * every message the relay sends ({@link MessageLog}).
 */
public final class WsClient extends MessageLog implements AutoCloseable {
    private final WebSocket ws;
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> pong = new CompletableFuture<>();

    private WsClient(String url, boolean reading) {
        this(url, reading, java.util.Map.of());
    }

    private WsClient(String url, boolean reading, java.util.Map<String, String> headers) {
        StringBuilder partial = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    add(partial.toString());
                    partial.setLength(0);
                }
                if (reading) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                pong.complete(null);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        };
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        this.ws = builder.buildAsync(URI.create(url), listener).join();
    }

    /** A client that reads everything. */
    public static WsClient connect(String url) {
        return new WsClient(url, true);
    }

    /** A client that sends extra HTTP headers with its upgrade request (e.g. X-Forwarded-For). */
    public static WsClient connect(String url, java.util.Map<String, String> headers) {
        return new WsClient(url, true, headers);
    }

    /** Waits for the relay's NIP-42 challenge and returns it. */
    public String challenge() {
        return awaitFirst("AUTH challenge", RelayMessage.Auth.class, a -> true).challenge();
    }

    /** NIP-42: answers the relay's challenge with a kind 22242 event signed by {@code key} naming {@code relayUrl}. */
    public RelayMessage.Ok authenticate(nostr.core.keys.SecretKey key, String relayUrl) {
        Event auth = nostr.core.nip42.Nip42.authTemplate(relayUrl, challenge()).sign(key);
        send(new ClientMessage.Auth(auth).toJson());
        return awaitOk(auth.id());
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends one text message in several WebSocket frames. */
    public void sendFragmented(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            ws.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    public void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Sends a ping and waits for the pong. */
    public void ping() throws Exception {
        ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).join();
        pong.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public RelayMessage.Ok publish(Event e) {
        send(new ClientMessage.EventMsg(e).toJson());
        return awaitOk(e.id());
    }

    public void req(String subId, Filter... filters) {
        send(new ClientMessage.Req(subId, List.of(filters)).toJson());
    }

    public List<String> query(String subId, Filter... filters) {
        req(subId, filters);
        return awaitEose(subId);
    }

    public void close(String subId) {
        send(new ClientMessage.Close(subId).toJson());
    }

    /** Waits for the relay to close the connection; returns the close code (-1 on an abrupt end). */
    public int awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(x -> null).join();
        }
        ws.abort();
    }
}
