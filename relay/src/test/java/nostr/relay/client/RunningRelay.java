package nostr.relay.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import nostr.relay.Relay;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/**
 * The real relay, in this JVM, on 127.0.0.1 and an ephemeral port, over SQLite in a temporary
 * directory; {@link #restart()} stops it and starts it again on the same port and data, as an
 * operator restarting parrhesia would.
 */
final class RunningRelay implements AutoCloseable {
    private final Path dataDir;
    private final Storage storage;
    private RelayConfig config;
    private Relay relay;

    private RunningRelay(Path dataDir) throws Exception {
        this.dataDir = dataDir;
        this.storage = SqliteStorage.open(dataDir, SqliteOptions.defaults());
        this.config = RelayConfig.defaults().withPort(0).withDataDir(dataDir);
        this.relay = Relay.start(config, storage);
        this.config = config.withPort(relay.port());
    }

    static RunningRelay start() throws Exception {
        return new RunningRelay(Files.createTempDirectory("relay-client-test"));
    }

    /** {@code ws://127.0.0.1:<port>/}. */
    String url() {
        return relay.url();
    }

    /** Stops the relay (connections are closed with 1001 "going away"). */
    void stop() {
        relay.close();
    }

    /** Starts it again on the same port and data. */
    void restart() throws Exception {
        relay.close();
        relay = Relay.start(config, storage);
    }

    @Override
    public void close() {
        relay.close();
        storage.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
