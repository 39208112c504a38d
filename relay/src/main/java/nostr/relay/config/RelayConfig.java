package nostr.relay.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The relay's whole configuration, validated once at startup (see {@link ConfigLoader} for
 * where each value comes from).
 *
 * @param host address to bind; 127.0.0.1 unless the operator asks for more
 * @param port TCP port; 0 picks a free one (tests)
 * @param dataDir where SQLite and other local state live
 * @param store which storage adapter to open
 * @param postgresUrl JDBC URL of the PostgreSQL server (store = postgres), or ""
 * @param identity NIP-11 name, description and contacts
 * @param limits what clients may send, advertised in NIP-11
 * @param tuning internal stage sizes
 * @param operations NIP-86 admins and background job intervals
 * @param blossom the Blossom server mounted on the same port
 */
public record RelayConfig(String host, int port, Path dataDir, StoreKind store, String postgresUrl,
                          Identity identity, Limits limits, Tuning tuning, Operations operations,
                          BlossomConfig blossom) {

    public RelayConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(postgresUrl, "postgresUrl");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(operations, "operations");
        Objects.requireNonNull(blossom, "blossom");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (store == StoreKind.POSTGRES && postgresUrl.isBlank()) {
            throw new IllegalArgumentException("store 'postgres' needs postgres_url (e.g. jdbc:postgresql://127.0.0.1:5432/parrhesia?user=...)");
        }
    }

    /** Every default: 127.0.0.1:7777, SQLite under ./data. */
    public static RelayConfig defaults() {
        return new RelayConfig("127.0.0.1", 7777, Path.of("data"), StoreKind.SQLITE, "", Identity.defaults(),
                Limits.defaults(), Tuning.defaults(),
                Operations.defaults(), BlossomConfig.defaults());
    }

    public RelayConfig withPort(int p) {
        return new RelayConfig(host, p, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom);
    }

    public RelayConfig withDataDir(Path d) {
        return new RelayConfig(host, port, d, store, postgresUrl, identity, limits, tuning, operations, blossom);
    }

    public RelayConfig withLimits(Limits l) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, l, tuning, operations, blossom);
    }

    public RelayConfig withOperations(Operations o) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, o, blossom);
    }

    public RelayConfig withBlossom(BlossomConfig b) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, b);
    }

    public RelayConfig withTuning(Tuning t) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, t, operations, blossom);
    }
}
