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
 * @param relayUrl the relay's public WebSocket URL (NIP-42, NIP-62, NIP-98 checks), or "" for
 *     {@code ws://<host>:<port>/}
 * @param relaySecretKeyFile the relay's own key (NIP-11 {@code self}, signs NIP-43 events), or ""
 *     for {@code <data_dir>/relay.key}
 * @param membership NIP-43 invite settings
 * @param policy access rules: AUTH, proof of work, rate limits, access mode, gift wraps, MLS, plugin
 * @param cluster cluster mode (NATS), off by default
 * @param negentropy NIP-77 sessions and the whole-store negentropy index
 */
public record RelayConfig(String host, int port, Path dataDir, StoreKind store, String postgresUrl,
                          Identity identity, Limits limits, Tuning tuning, Operations operations,
                          BlossomConfig blossom, String relayUrl, String relaySecretKeyFile,
                          MembershipSettings membership, PolicyConfig policy, ClusterConfig cluster,
                          NegentropyConfig negentropy) {

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
        Objects.requireNonNull(relayUrl, "relayUrl");
        Objects.requireNonNull(relaySecretKeyFile, "relaySecretKeyFile");
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(negentropy, "negentropy");
        if (!relaySecretKeyFile.isEmpty()) {
            try {
                Path.of(relaySecretKeyFile);
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException("relay_secret_key_file is not a valid path: " + e.getMessage());
            }
        }
        if (!relayUrl.isEmpty() && !relayUrl.matches("(?i)wss?://[^\\s/?#]+(/[^\\s]*)?")) {
            throw new IllegalArgumentException("relay_url must be a ws:// or wss:// URL, got '" + relayUrl + "'");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (store == StoreKind.POSTGRES && postgresUrl.isBlank()) {
            throw new IllegalArgumentException("store 'postgres' needs postgres_url (e.g. jdbc:postgresql://127.0.0.1:5432/parrhesia?user=...)");
        }
        if (cluster.enabled() && store != StoreKind.POSTGRES) {
            throw new IllegalArgumentException("nats_url (cluster mode) needs store = postgres: cluster nodes share one "
                    + "PostgreSQL database, and a SQLite file belongs to one relay process");
        }
    }

    /** A configuration with the default negentropy settings ({@link NegentropyConfig#defaults()}). */
    public RelayConfig(String host, int port, Path dataDir, StoreKind store, String postgresUrl,
                       Identity identity, Limits limits, Tuning tuning, Operations operations,
                       BlossomConfig blossom, String relayUrl, String relaySecretKeyFile,
                       MembershipSettings membership, PolicyConfig policy, ClusterConfig cluster) {
        this(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl,
                relaySecretKeyFile, membership, policy, cluster, NegentropyConfig.defaults());
    }

    /** A configuration without cluster mode and with the default negentropy settings. */
    public RelayConfig(String host, int port, Path dataDir, StoreKind store, String postgresUrl,
                       Identity identity, Limits limits, Tuning tuning, Operations operations,
                       BlossomConfig blossom, String relayUrl, String relaySecretKeyFile,
                       MembershipSettings membership, PolicyConfig policy) {
        this(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl,
                relaySecretKeyFile, membership, policy, ClusterConfig.defaults());
    }

    /** A configuration with the default access policy ({@link PolicyConfig#defaults()}). */
    public RelayConfig(String host, int port, Path dataDir, StoreKind store, String postgresUrl,
                       Identity identity, Limits limits, Tuning tuning, Operations operations,
                       BlossomConfig blossom, String relayUrl, String relaySecretKeyFile,
                       MembershipSettings membership) {
        this(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl,
                relaySecretKeyFile, membership, PolicyConfig.defaults(), ClusterConfig.defaults(), NegentropyConfig.defaults());
    }

    /** Every default: 127.0.0.1:7777, SQLite under ./data. */
    public static RelayConfig defaults() {
        return new RelayConfig("127.0.0.1", 7777, Path.of("data"), StoreKind.SQLITE, "", Identity.defaults(),
                Limits.defaults(), Tuning.defaults(),
                Operations.defaults(), BlossomConfig.defaults(), "", "", MembershipSettings.defaults(), PolicyConfig.defaults(),
                ClusterConfig.defaults(), NegentropyConfig.defaults());
    }

    /** The public URL: {@code relay_url}, or {@code ws://<host>:<boundPort>/} when it is not set. */
    public String publicUrl(int boundPort) {
        if (!relayUrl.isEmpty()) {
            return relayUrl;
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "ws://" + h + ":" + boundPort + "/";
    }

    /** The relay key file: {@code relay_secret_key_file}, or {@code relay.key} in the data directory. */
    public Path secretKeyPath() {
        return relaySecretKeyFile.isEmpty() ? dataDir.resolve("relay.key") : Path.of(relaySecretKeyFile);
    }

    public RelayConfig withPort(int p) {
        return new RelayConfig(host, p, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl, relaySecretKeyFile, membership, policy, cluster, negentropy);
    }

    public RelayConfig withDataDir(Path d) {
        return new RelayConfig(host, port, d, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl, relaySecretKeyFile, membership, policy, cluster, negentropy);
    }

    public RelayConfig withLimits(Limits l) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, l, tuning, operations, blossom, relayUrl, relaySecretKeyFile, membership, policy, cluster, negentropy);
    }

    public RelayConfig withOperations(Operations o) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, o, blossom, relayUrl, relaySecretKeyFile, membership, policy, cluster, negentropy);
    }

    public RelayConfig withBlossom(BlossomConfig b) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, b, relayUrl, relaySecretKeyFile, membership, policy, cluster, negentropy);
    }

    public RelayConfig withTuning(Tuning t) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, t, operations, blossom, relayUrl, relaySecretKeyFile, membership, policy, cluster, negentropy);
    }

    public RelayConfig withRelayUrl(String url) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, url,
                relaySecretKeyFile, membership, policy, cluster, negentropy);
    }

    public RelayConfig withRelaySecretKeyFile(String file) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl,
                file, membership, policy, cluster, negentropy);
    }

    public RelayConfig withMembership(MembershipSettings m) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl,
                relaySecretKeyFile, m, policy, cluster, negentropy);
    }

    public RelayConfig withCluster(ClusterConfig c) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl,
                relaySecretKeyFile, membership, policy, c, negentropy);
    }

    public RelayConfig withNegentropy(NegentropyConfig n) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl,
                relaySecretKeyFile, membership, policy, cluster, n);
    }

    public RelayConfig withPolicy(PolicyConfig p) {
        return new RelayConfig(host, port, dataDir, store, postgresUrl, identity, limits, tuning, operations, blossom, relayUrl,
                relaySecretKeyFile, membership, p, cluster, negentropy);
    }
}
