package nostr.relay.tools;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import nostr.relay.StorageOpener;
import nostr.relay.config.ConfigException;
import nostr.relay.config.ConfigLoader;
import nostr.relay.config.RelayConfig;
import nostr.relay.config.StoreKind;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import picocli.CommandLine.Option;

/**
 * The store flags the operator tools share with the server ({@code --data-dir}, {@code --store},
 * {@code --postgres-url}, {@code --config}); the same environment variables and config file keys
 * apply, so a tool finds the store the relay uses.
 */
final class StoreOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory of the SQLite store (default ./data)")
    String dataDir;

    @Option(names = "--store", paramLabel = "KIND", description = "sqlite or postgres (default sqlite)")
    String store;

    @Option(names = "--postgres-url", paramLabel = "URL", description = "JDBC URL of PostgreSQL, for --store postgres")
    String postgresUrl;

    @Option(names = "--config", paramLabel = "FILE", description = "the relay's config file (Java properties)")
    String config;

    /** The configuration these flags (then PARRHESIA_* variables, the file, the defaults) give. */
    RelayConfig load() {
        Map<String, String> flags = new HashMap<>();
        put(flags, "data_dir", dataDir);
        put(flags, "store", store);
        put(flags, "postgres_url", postgresUrl);
        put(flags, "config", config);
        try {
            return ConfigLoader.load(flags, System.getenv());
        } catch (ConfigException e) {
            throw ToolFailure.usage(e.getMessage());
        }
    }

    /** Opens the configured store; a store that cannot be opened ends the tool with exit 3. */
    static Storage open(RelayConfig cfg) {
        try {
            return StorageOpener.open(cfg);
        } catch (StoreException | IllegalArgumentException e) {
            throw ToolFailure.unavailable("cannot open the " + cfg.store().key() + " store: " + e.getMessage());
        }
    }

    /**
     * For tools that write: the data directory lock when the store is SQLite (refused with exit 3
     * while the relay runs on it), null for PostgreSQL, which takes concurrent writers.
     */
    static DataDirLock lockForWriting(RelayConfig cfg, String purpose) {
        if (cfg.store() != StoreKind.SQLITE) {
            return null;
        }
        try {
            return DataDirLock.acquire(cfg.dataDir(), purpose);
        } catch (IllegalStateException e) {
            throw ToolFailure.unavailable(e.getMessage());
        } catch (IOException e) {
            throw ToolFailure.unavailable("cannot lock the data directory " + cfg.dataDir() + ": " + e.getMessage());
        }
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
