package nostr.relay;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import nostr.relay.config.RelayConfig;
import nostr.relay.connection.Connection;
import nostr.relay.connection.RelayServices;
import nostr.relay.edge.EdgeServer;
import nostr.relay.info.RelayInfo;
import nostr.relay.ingest.GroupCommitWriter;
import nostr.relay.ingest.Ingester;
import nostr.relay.ingest.SignatureVerifier;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.auth.AuthVerifier;
import nostr.relay.config.PolicyConfig;
import nostr.relay.edge.ConnectionGate;
import nostr.relay.policy.AccessPolicy;
import nostr.relay.policy.IpAddresses;
import nostr.relay.policy.KeyedBuckets;
import nostr.relay.policy.ModerationLists;
import nostr.relay.policy.PolicyPipeline;
import nostr.relay.policy.ReadRestriction;
import nostr.relay.policy.VerifiedAdmission;
import nostr.relay.policy.plugin.WritePolicyPlugin;
import nostr.relay.policy.stage.RateLimitStage;
import nostr.relay.query.InitialQueries;
import nostr.relay.store.StoreException;
import nostr.relay.store.Storage;
import nostr.relay.subscription.FanOut;
import nostr.relay.subscription.SubscriptionIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the pipeline of ARCHITECTURE.md assembled over an opened {@link Storage}.
 *
 * <pre>
 * edge (Jetty WS/HTTP, ConnectionGate) -> Connection (parse, route, limits, AUTH) -> PolicyPipeline
 *   -> SignatureVerifier pool -> VerifiedAdmission (author rate, plugin) -> GroupCommitWriter (OK after commit) -> FanOut -> SubscriptionIndex
 *   -> each connection's OutboundQueue
 * REQ -> ReadRestriction -> SubscriptionIndex (registered first) -> InitialQueries (QueryCompiler, store cursor) -> EOSE
 * </pre>
 *
 * <p>{@link #close()} shuts down in pipeline order: stop accepting, finish verification and
 * writing (every event already received gets its OK), let fan-out finish, give outbound queues
 * a moment to flush, close the sockets. The storage stays open: its owner closes it.
 */
public final class Relay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final long MODERATION_RELOAD_SECONDS = 60;
    private static final long BUCKET_PRUNE_SECONDS = 60;
    /** Shared token buckets (per IP, per pubkey) kept before pruning early. */
    private static final int MAX_RATE_KEYS = 100_000;

    private final RelayConfig config;
    private final Storage storage;
    private final RelayMetrics metrics = new RelayMetrics();
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final AtomicReference<ModerationLists> moderation = new AtomicReference<>(ModerationLists.open());
    private final FanOut fanOut;
    private final GroupCommitWriter writer;
    private final SignatureVerifier verifier;
    private final InitialQueries queries;
    private final ExecutorService drainer = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("housekeeping").daemon(true).factory());
    private final RelayServices services;
    private final EdgeServer edge;
    private final Clock clock;
    private final KeyedBuckets newConnections;
    private final WritePolicyPlugin plugin;

    private Relay(RelayConfig config, Storage storage, Clock clock) {
        this.config = config;
        this.storage = storage;
        this.clock = clock;
        var tuning = config.tuning();
        reloadModeration();
        fanOut = new FanOut(index, 1024, metrics::delivered);
        writer = new GroupCommitWriter(storage.events(), tuning.writerQueue(), tuning.writerBatch(),
                fanOut::committed, metrics::batch, metrics::commit);
        verifier = new SignatureVerifier(tuning.verifyThreads(), tuning.writerQueue());
        queries = new InitialQueries(storage.events(), config.limits(), tuning.queryTimeBudget(),
                tuning.maxConcurrentQueries(), writer::committedSeq, writer::startedSeq, fanOut::completedSeq);
        PolicyConfig pc = config.policy();
        var rates = pc.rates();
        KeyedBuckets perIp = rates.ipEventRate() > 0 ? new KeyedBuckets(rates.ipEventRate(),
                PolicyConfig.Rates.burst(rates.ipEventRate(), rates.ipEventBurst()), MAX_RATE_KEYS) : null;
        KeyedBuckets perPubkey = rates.pubkeyEventRate() > 0 ? new KeyedBuckets(rates.pubkeyEventRate(),
                PolicyConfig.Rates.burst(rates.pubkeyEventRate(), rates.pubkeyEventBurst()), MAX_RATE_KEYS) : null;
        newConnections = rates.ipConnectionRate() > 0 ? new KeyedBuckets(rates.ipConnectionRate(),
                PolicyConfig.Rates.burst(rates.ipConnectionRate(), rates.ipConnectionBurst()), MAX_RATE_KEYS) : null;
        PolicyPipeline writes = PolicyPipeline.standard(config.limits(), pc, moderation::get, perIp, perPubkey);
        plugin = pc.plugin().configured() ? new WritePolicyPlugin(pc.plugin()) : null;
        VerifiedAdmission admission = new VerifiedAdmission(writes.rates(), plugin, pc.plugin().failOpen(),
                metrics::pluginOutcome);
        AccessPolicy policy = new AccessPolicy(pc, writes, admission, new ReadRestriction(pc, moderation::get),
                new AuthVerifier(this::relayUrl, pc.auth().windowSeconds()));
        Ingester ingester = new Ingester(verifier, writer, fanOut, metrics, admission);
        services = new RelayServices(config.limits(), tuning, policy, ingester, index, queries, metrics, drainer, clock);
        boolean restricted = pc.accessMode() != PolicyConfig.AccessMode.OPEN || !pc.kindsAllow().isEmpty()
                || !pc.kindsDeny().isEmpty() || pc.auth().mode().writes() || !pc.auth().writeKinds().isEmpty()
                || pc.pow().minDifficulty() > 0 || !pc.pow().perKind().isEmpty() || plugin != null;
        edge = new EdgeServer(config.host(), config.port(), config.limits(), tuning,
                transport -> new Connection(services, transport),
                () -> RelayInfo.json(config.identity(), config.limits(), restricted || moderation.get().restrictsWrites(),
                        pc.auth().mode() == PolicyConfig.AuthMode.ALL, pc.pow().minDifficulty()),
                metrics, storage::isHealthy, storage.name(), this::admitConnection, pc.trustProxy());
        housekeeping.scheduleWithFixedDelay(this::reloadModeration, MODERATION_RELOAD_SECONDS,
                MODERATION_RELOAD_SECONDS, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> pruneBuckets(writes.rates(), perIp != null || perPubkey != null),
                BUCKET_PRUNE_SECONDS, BUCKET_PRUNE_SECONDS, TimeUnit.SECONDS);
    }

    /** The edge's gate: blocked addresses (403) and new connections per address (429). */
    private ConnectionGate.Refusal admitConnection(String ip) {
        if (ip.isEmpty()) {
            return null;
        }
        String blocked = moderation.get().blockReason(ip);
        if (blocked != null) {
            return new ConnectionGate.Refusal(403, "blocked: your IP address is blocked on this relay", "blocked");
        }
        if (newConnections != null && !newConnections.tryTake(IpAddresses.rateKey(ip), clock.millis() * 1_000_000L)) {
            return new ConnectionGate.Refusal(429, "rate-limited: too many new connections from your address; slow down",
                    "rate-limited");
        }
        return null;
    }

    private void pruneBuckets(RateLimitStage rates, boolean shared) {
        long now = clock.millis() * 1_000_000L;
        if (shared && rates != null) {
            rates.prune(now);
        }
        if (newConnections != null) {
            newConnections.prune(now);
        }
    }

    /**
     * The relay's public URL: {@code relay_url}, or {@code ws://host:port/} of the bound port.
     * AUTH events (NIP-42) must name it in their relay tag.
     */
    public String relayUrl() {
        return config.relayUrl().isEmpty() ? url() : config.relayUrl();
    }

    /** Starts a relay on an opened storage and binds its port. */
    public static Relay start(RelayConfig config, Storage storage) throws Exception {
        return start(config, storage, Clock.systemUTC());
    }

    /** As {@link #start(RelayConfig, Storage)} with a given clock (tests of created_at bounds). */
    public static Relay start(RelayConfig config, Storage storage, Clock clock) throws Exception {
        Relay relay = new Relay(config, storage, clock);
        try {
            relay.edge.start();
        } catch (Exception e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    /** The bound port. */
    public int port() {
        return edge.port();
    }

    /** The WebSocket URL clients connect to. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "ws://" + host + ":" + port() + "/";
    }

    public RelayMetrics metrics() {
        return metrics;
    }

    public Storage storage() {
        return storage;
    }

    /** Open WebSocket connections. */
    public int connectionCount() {
        return edge.connectionCount();
    }

    /**
     * Reads the moderation lists (and, in members mode, the relay's members) from the store again:
     * bans, allowlists, blocked IPs and membership changes take effect at once.
     */
    public void reloadModeration() {
        try {
            moderation.set(ModerationLists.load(storage, config.policy().accessMode() == PolicyConfig.AccessMode.MEMBERS));
        } catch (UnsupportedOperationException e) {
            LOG.debug("the store has no moderation lists: {}", e.getMessage());
        } catch (StoreException | RuntimeException e) {
            LOG.warn("could not load moderation lists, keeping the previous ones: {}", e.toString());
        }
    }

    @Override
    public void close() {
        edge.stopAccepting();
        verifier.close();
        writer.close();
        fanOut.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!edge.outboundDrained() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        edge.closeAll(1001, "relay shutting down");
        try {
            edge.close();
        } catch (Exception e) {
            LOG.warn("stopping the web server failed", e);
        }
        queries.close();
        if (plugin != null) {
            plugin.close();
        }
        housekeeping.shutdownNow();
        drainer.shutdown();
    }
}
