package nostr.relay;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;

/** Opens the storage adapter the configuration names. */
public final class StorageOpener {
    private StorageOpener() {}

    public static Storage open(RelayConfig config) throws StoreException {
        // One read connection per concurrent stored query, so queries never wait for each other's connections.
        int readers = Math.min(64, config.tuning().maxConcurrentQueries());
        return switch (config.store()) {
            case SQLITE -> SqliteStorage.open(config.dataDir(), SqliteOptions.defaults().withReadConnections(readers));
            case POSTGRES -> {
                String url = config.postgresUrl();
                // Credentials go to the pool, not in the URL, which error messages may quote.
                PostgresOptions o = PostgresOptions.of(withoutCredentials(url), param(url, "user"), param(url, "password"));
                yield PostgresStorage.open(new PostgresOptions(o.jdbcUrl(), o.user(), o.password(), o.schema(),
                        o.ingestConnections(), readers, o.maintenanceConnections(), o.connectionTimeout(),
                        o.partitionMonths(), o.partitionFloor(), o.futurePartitions()));
            }
        };
    }

    /** Where the data lives, for the startup line: never credentials. */
    public static String describe(RelayConfig config, Storage storage) {
        if (storage instanceof SqliteStorage s) {
            return "sqlite at " + s.file();
        }
        String url = config.postgresUrl();
        int q = url.indexOf('?');
        String location = (q < 0 ? url : url.substring(0, q)).replaceFirst("^jdbc:postgresql://", "");
        int at = location.indexOf('@');
        return storage.name() + " at " + (at < 0 ? location : location.substring(at + 1));
    }

    /** The URL without its user and password parameters. */
    static String withoutCredentials(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder rest = new StringBuilder();
        for (String kv : url.substring(q + 1).split("&")) {
            if (kv.startsWith("user=") || kv.startsWith("password=") || kv.isEmpty()) {
                continue;
            }
            rest.append(rest.isEmpty() ? "" : "&").append(kv);
        }
        return url.substring(0, q) + (rest.isEmpty() ? "" : "?" + rest);
    }

    /** A query parameter of a JDBC URL ("" when absent): credentials may ride in the URL. */
    static String param(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return "";
        }
        for (String kv : url.substring(q + 1).split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}
