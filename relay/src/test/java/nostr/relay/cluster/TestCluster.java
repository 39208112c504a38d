package nostr.relay.cluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import nostr.relay.Relay;
import nostr.relay.config.ClusterConfig;
import nostr.relay.config.RelayConfig;
import nostr.relay.config.StoreKind;
import nostr.relay.store.Storage;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.MetricsText;

/**
 * Relay nodes of one cluster in this JVM: each a real {@link Relay} on its own port with its own
 * PostgreSQL pools (as separate processes would have), all on one schema of the embedded
 * PostgreSQL, all connected to one real nats-server.
 */
final class TestCluster implements AutoCloseable {
    /** Short, so that what NATS loses is caught up within a test's patience. */
    static final Duration POLL = Duration.ofMillis(200);

    final NatsServer nats;
    final String jdbcUrl;
    final String schema;
    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    /** One node: the relay and its storage. */
    record Node(String id, Relay relay, Storage storage) {
        String url() {
            return relay.url();
        }

        double metric(String sample) {
            return MetricsText.value(relay.metrics(), sample);
        }

        /** Waits until this node's journal poller has run {@code n} more times (a catch-up had its chance). */
        void awaitPolls(int n) {
            double start = metric("parrhesia_cluster_polls_total{outcome=\"ok\"}");
            MessageLog.until(n + " polls on " + id, () -> metric("parrhesia_cluster_polls_total{outcome=\"ok\"}") >= start + n);
        }
    }

    private TestCluster(Path dir, String jdbcUrl, String schema, NatsServer nats) {
        this.dir = dir;
        this.jdbcUrl = jdbcUrl;
        this.schema = schema;
        this.nats = nats;
    }

    /** A fresh schema of the shared embedded PostgreSQL and a fresh nats-server. */
    static TestCluster start(Path dir, String schema) throws Exception {
        String url = EmbeddedPostgresServer.shared().jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
        return new TestCluster(dir, url, schema, NatsServer.start(dir));
    }

    /**
     * A fresh database {@code db} of the shared embedded PostgreSQL (schema {@code parrhesia}, what
     * {@code bin/parrhesia --postgres-url} uses) and a fresh nats-server: for nodes run as processes.
     */
    static TestCluster startOnDatabase(Path dir, String db) throws Exception {
        return new TestCluster(dir, EmbeddedPostgresServer.shared().freshDatabase(db), "parrhesia", NatsServer.start(dir));
    }

    /** A storage of its own on the cluster's schema. */
    PostgresStorage openStorage() throws Exception {
        return PostgresStorage.open(PostgresOptions.of(jdbcUrl, "postgres", "").withSchema(schema));
    }

    /** {@code bin/parrhesia} flags of node {@code id} run as a process (it must use schema parrhesia). */
    List<String> processFlags(String id) {
        return List.of("--port", "0", "--data-dir", dir.resolve(id).toString(), "--store", "postgres",
                "--postgres-url", jdbcUrl + "?user=postgres", "--nats-url", nats.url(), "--node-id", id);
    }

    /** The configuration of node {@code id}: port 0, its own data directory, this cluster's NATS. */
    RelayConfig config(String id) {
        RelayConfig d = RelayConfig.defaults();
        ClusterConfig cluster = ClusterConfig.defaults().withNatsUrl(nats.url()).withNodeId(id).withPollInterval(POLL);
        return new RelayConfig("127.0.0.1", 0, dir.resolve(id), StoreKind.POSTGRES, jdbcUrl,
                d.identity(), d.limits(), d.tuning(), d.operations(), d.blossom(), "", "", d.membership(), d.policy(), cluster);
    }

    Node node(String id) throws Exception {
        return node(id, c -> c, s -> s);
    }

    /** Starts node {@code id} with a changed configuration, on a (possibly wrapped) storage of its own. */
    Node node(String id, UnaryOperator<RelayConfig> change, UnaryOperator<Storage> wrap) throws Exception {
        Storage storage = wrap.apply(openStorage());
        Relay relay;
        try {
            relay = Relay.start(change.apply(config(id)), storage);
        } catch (Exception e) {
            storage.close();
            throw e;
        }
        Node n = new Node(id, relay, storage);
        nodes.add(n);
        return n;
    }

    /** Stops a node (SIGTERM-like: drained and closed). */
    void stop(Node n) {
        nodes.remove(n);
        n.relay().close();
        n.storage().close();
    }

    @Override
    public void close() throws Exception {
        for (Node n : List.copyOf(nodes)) {
            stop(n);
        }
        nats.close();
    }
}
