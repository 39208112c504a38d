package nostr.relay.access;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.Relay;
import nostr.relay.config.PolicyConfig;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Query;
import nostr.relay.store.Storage;
import nostr.relay.store.StoredEvent;
import nostr.relay.testing.MutableClock;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The real relay (Jetty, WebSockets, policy, verifier, writer, fan-out) over one storage adapter,
 * restarted per test with the access settings that test needs and a clock the test moves. One
 * storage per class (subclasses choose the adapter); tests use fresh keys, and every test that
 * changes the store's moderation lists or membership undoes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AccessContractBase {
    protected Storage storage;
    protected Relay relay;
    protected MutableClock clock;
    protected SecretKey alice;
    protected SecretKey bob;
    protected SecretKey carol;
    protected long now;
    private Path dataDir;
    private final List<WsClient> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    /** The storage of the adapter under test (opened once per class). */
    protected abstract Storage openStorage() throws Exception;

    @BeforeAll
    void openStore() throws Exception {
        storage = openStorage();
        dataDir = Files.createTempDirectory("access-contract");
    }

    @AfterAll
    void closeStore() {
        if (storage != null) {
            storage.close();
        }
    }

    @BeforeEach
    void freshKeys() {
        clock = new MutableClock();
        now = clock.millis() / 1000;
        alice = SecretKey.generate();
        bob = SecretKey.generate();
        carol = SecretKey.generate();
    }

    @AfterEach
    void stopRelay() {
        for (WsClient c : clients) {
            c.close();
        }
        clients.clear();
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    /** Starts the relay with {@code policy} (port 0, 127.0.0.1). */
    protected Relay start(PolicyConfig policy) throws Exception {
        return start(c -> c.withPolicy(policy));
    }

    /** Starts the relay with the default configuration changed by {@code change}. */
    protected Relay start(UnaryOperator<RelayConfig> change) throws Exception {
        if (relay != null) {
            relay.close();
        }
        relay = Relay.start(change.apply(RelayConfig.defaults().withPort(0).withDataDir(dataDir)), storage, clock);
        return relay;
    }

    /** A new client (closed after the test). */
    protected WsClient client() {
        WsClient c = WsClient.connect(relay.url());
        clients.add(c);
        return c;
    }

    protected WsClient client(Map<String, String> headers) {
        WsClient c = WsClient.connect(relay.url(), headers);
        clients.add(c);
        return c;
    }

    /** A client that authenticated as {@code keys} (each AUTH answered OK true). */
    protected WsClient authed(SecretKey... keys) {
        WsClient c = client();
        for (SecretKey k : keys) {
            var ok = c.authenticate(k, relay.publicUrl());
            if (!ok.accepted()) {
                throw new AssertionError("AUTH refused: " + ok.message());
            }
        }
        return c;
    }

    protected static String pk(SecretKey k) {
        return k.publicKey().hex();
    }

    /** What the store holds for {@code f}, read directly (no relay policy in between). */
    protected List<String> stored(Filter f) throws Exception {
        List<String> ids = new ArrayList<>();
        storage.events().query(new Query(List.of(new Query.Part(f, 1000)), 1000, clock.millis() / 1000), e -> ids.add(e.id()));
        return ids;
    }

    protected List<StoredEvent> storedEvents(Filter f) throws Exception {
        List<StoredEvent> out = new ArrayList<>();
        storage.events().query(new Query(List.of(new Query.Part(f, 1000)), 1000, clock.millis() / 1000), out::add);
        return out;
    }

    /**
     * Tries a WebSocket upgrade with {@code headers}; returns 101 when it succeeds (and closes
     * it), else the HTTP status the relay answered with.
     */
    protected int upgradeStatus(Map<String, String> headers) {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        try {
            WebSocket ws = b.buildAsync(URI.create(relay.url()), new WebSocket.Listener() { }).join();
            ws.abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    protected String nip11() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(relay.url().replace("ws://", "http://")))
                .header("Accept", "application/nostr+json").build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    protected String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(relay.url().replace("ws://", "http://") + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
