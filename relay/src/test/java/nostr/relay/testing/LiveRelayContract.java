package nostr.relay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the relay-level contract suites: the real relay ({@link Relay}, Jetty, the whole
 * pipeline) on 127.0.0.1 and an ephemeral port over a storage of the adapter under test, and
 * clients over real WebSockets ({@link WsClient}). One relay per test class; tests keep apart by
 * using fresh keys. Subclasses per adapter only say how to open the storage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LiveRelayContract {
    protected Path dataDir;
    protected Storage storage;
    protected Relay relay;
    private final List<WsClient> clients = new ArrayList<>();

    /** A fresh storage of the adapter under test (SQLite may live in {@code dir}). */
    protected abstract Storage openStorage(Path dir) throws Exception;

    /** The relay's configuration; defaults on port 0 and {@link #dataDir}, changed by suites that need to. */
    protected RelayConfig configure(RelayConfig base) {
        return base;
    }

    /** The relay's clock. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    @BeforeAll
    void startRelay() throws Exception {
        dataDir = Files.createTempDirectory("relay-contract");
        storage = openStorage(dataDir);
        relay = Relay.start(configure(RelayConfig.defaults().withPort(0).withDataDir(dataDir)), storage, clock());
    }

    @AfterEach
    void closeClients() {
        synchronized (clients) {
            clients.forEach(WsClient::close);
            clients.clear();
        }
    }

    @AfterAll
    void stopRelay() throws IOException {
        if (relay != null) {
            relay.close();
        }
        if (storage != null) {
            storage.close();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * Stops the relay and starts it again on the same storage and data directory with the
     * configuration {@link #configure} gives, changed by {@code change} (an operator restarting
     * parrhesia with other settings). Clients of the old relay are closed.
     */
    protected void restartRelay(java.util.function.UnaryOperator<RelayConfig> change) throws Exception {
        closeClients();
        relay.close();
        relay = Relay.start(change.apply(configure(RelayConfig.defaults().withPort(0).withDataDir(dataDir))), storage, clock());
    }

    /** A new WebSocket client of the relay, closed after the test. */
    protected WsClient connect() {
        WsClient c = WsClient.connect(relay.url());
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** Seconds since the epoch, by the relay's clock. */
    protected long now() {
        return clock().millis() / 1000;
    }
}
