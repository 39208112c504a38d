package nostr.relay;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import nostr.relay.config.ConfigException;
import nostr.relay.config.ConfigLoader;
import nostr.relay.config.RelayConfig;
import nostr.relay.config.StoreKind;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import nostr.relay.tools.DataDirLock;
import nostr.relay.tools.OperatorTools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/parrhesia}: loads the configuration (flags, then PARRHESIA_* environment variables,
 * then the config file, then defaults), opens the store, starts the relay and logs one line
 * saying where it listens. SIGTERM (or Ctrl-C) stops it cleanly: no new connections, every
 * event already received written and answered, sockets closed, store closed.
 *
 * <p>Subcommands are the operator tools ({@link OperatorTools}): {@code admin} (a NIP-86 client),
 * {@code export}, {@code import}, {@code stats}, {@code compact}. On SQLite the server holds the
 * data directory lock ({@link DataDirLock}) while it runs.
 */
@Command(name = "parrhesia", mixinStandardHelpOptions = true, version = "parrhesia 0.1.0-SNAPSHOT",
        description = {"Parrhesia, a Nostr relay on SQLite or PostgreSQL.",
                "Without a subcommand it runs the relay; the subcommands are operator tools."},
        footer = {"", "Every setting is also an environment variable (PARRHESIA_<KEY>) and a config file key;",
                "see relay/README.md for the full list."})
public final class ParrhesiaMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ParrhesiaMain.class);

    @Option(names = "--host", description = "address to bind (default 127.0.0.1)")
    String host;

    @Option(names = "--port", description = "TCP port (default 7777; 0 picks a free one)")
    String port;

    @Option(names = "--data-dir", description = "data directory (default ./data)")
    String dataDir;

    @Option(names = "--store", description = "sqlite or postgres (default sqlite)")
    String store;

    @Option(names = "--postgres-url", description = "JDBC URL of PostgreSQL, for --store postgres")
    String postgresUrl;

    @Option(names = "--config", description = "config file (Java properties)")
    String config;

    @Option(names = "--blossom-dir", description = "Blossom blob directory (default <data-dir>/blobs)")
    String blossomDir;

    @Option(names = "--nats-url", description = "NATS server (nats://host:4222): cluster mode, needs --store postgres")
    String natsUrl;

    @Option(names = "--node-id", description = "this node's name in the cluster (default <hostname>:<port>)")
    String nodeId;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the operator subcommands (admin, export, import, stats, compact, sync). */
    public static CommandLine commandLine() {
        return OperatorTools.withUtf8Streams(OperatorTools.addTo(new CommandLine(new ParrhesiaMain())));
    }

    @Override
    public Integer call() {
        Map<String, String> flags = new HashMap<>();
        put(flags, "host", host);
        put(flags, "port", port);
        put(flags, "data_dir", dataDir);
        put(flags, "store", store);
        put(flags, "postgres_url", postgresUrl);
        put(flags, "config", config);
        put(flags, "blossom_dir", blossomDir);
        put(flags, "nats_url", natsUrl);
        put(flags, "node_id", nodeId);
        RelayConfig cfg;
        try {
            cfg = ConfigLoader.load(flags, System.getenv());
        } catch (ConfigException e) {
            System.err.println("parrhesia: " + e.getMessage());
            return 2;
        }
        // One writer per SQLite file: a second relay, or an import, on the same data directory is refused.
        DataDirLock acquired = null;
        if (cfg.store() == StoreKind.SQLITE) {
            try {
                acquired = DataDirLock.acquire(cfg.dataDir(), "starting another relay on it");
            } catch (IllegalStateException | java.io.IOException e) {
                System.err.println("parrhesia: " + e.getMessage());
                return 2;
            }
        }
        DataDirLock lock = acquired;
        Storage storage;
        try {
            storage = StorageOpener.open(cfg);
        } catch (StoreException | IllegalArgumentException e) {
            closeQuietly(lock);
            System.err.println("parrhesia: cannot open the " + cfg.store().key() + " store: " + e.getMessage());
            return 2;
        }
        Relay relay;
        try {
            relay = Relay.start(cfg, storage);
        } catch (Exception e) {
            storage.close();
            closeQuietly(lock);
            System.err.println("parrhesia: cannot start on " + cfg.host() + ":" + cfg.port() + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            LOG.info("stopping");
            relay.close();
            storage.close();
            // Held (and reachable) until the store is closed: released last.
            closeQuietly(lock);
            LOG.info("stopped");
            stopped.countDown();
        }));
        // One line: where it listens, which store, and where Blossom keeps blobs when it is on.
        String blossom = relay.blossom().map(b -> "; blossom blobs in " + b.files().root()).orElse("");
        LOG.info("parrhesia listening on {} (store: {}{})", relay.url(), StorageOpener.describe(cfg, storage), blossom);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void closeQuietly(DataDirLock lock) {
        if (lock != null) {
            lock.close();
        }
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
