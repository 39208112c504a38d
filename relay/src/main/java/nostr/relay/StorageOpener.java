package nostr.relay;

import nostr.relay.config.ConfigException;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** Opens the storage adapter the configuration names. */
final class StorageOpener {
    private StorageOpener() {}

    static Storage open(RelayConfig config) throws StoreException, ConfigException {
        return switch (config.store()) {
            // One read connection per concurrent stored query, so queries never wait for each other's connections.
            case SQLITE -> SqliteStorage.open(config.dataDir(), SqliteOptions.defaults()
                    .withReadConnections(Math.min(64, config.tuning().maxConcurrentQueries())));
            case POSTGRES -> throw new ConfigException("store 'postgres' is not available in this build yet; use 'sqlite'");
        };
    }

    /** Where the data lives, for the startup line (no credentials). */
    static String describe(RelayConfig config, Storage storage) {
        if (storage instanceof SqliteStorage s) {
            return "sqlite at " + s.file();
        }
        return storage.name();
    }
}
