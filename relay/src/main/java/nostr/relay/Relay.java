package nostr.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import nostr.blossom.server.BlossomHandler;
import nostr.relay.blossom.BlossomMount;
import nostr.relay.cluster.ClusterNode;
import nostr.relay.cluster.JournalPruneJob;
import nostr.relay.admin.ManagementApi;
import nostr.relay.admin.ManagementEndpoint;
import nostr.relay.admin.RelaySettings;
import nostr.relay.config.ClusterConfig;
import nostr.relay.config.NegentropyConfig;
import nostr.relay.config.RelayConfig;
import nostr.relay.connection.Connection;
import nostr.relay.connection.RelayServices;
import nostr.relay.count.CountRequests;
import nostr.relay.deletion.DeletionRequests;
import nostr.relay.deletion.VanishRequests;
import nostr.relay.edge.EdgeServer;
import nostr.relay.identity.RelayIdentity;
import nostr.relay.edge.IpBlocklist;
import nostr.relay.edge.PostHandler;
import nostr.relay.info.RelayInfo;
import nostr.relay.ingest.GroupCommitWriter;
import nostr.relay.ingest.Ingester;
import nostr.relay.ingest.KindRules;
import nostr.relay.membership.Membership;
import nostr.relay.ingest.SignatureVerifier;
import nostr.relay.jobs.ExpiryPurgeJob;
import nostr.relay.jobs.JobScheduler;
import nostr.relay.jobs.KindRetentionJob;
import nostr.relay.jobs.ModerationReloadJob;
import nostr.relay.jobs.VanishScrubJob;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.negentropy.NegentropyService;
import nostr.relay.auth.AuthVerifier;
import nostr.relay.config.PolicyConfig;
import nostr.relay.edge.ConnectionGate;
import nostr.relay.jobs.BackgroundJob;
import nostr.relay.policy.AccessPolicy;
import nostr.relay.policy.IpAddresses;
import nostr.relay.policy.KeyedBuckets;
import nostr.relay.policy.ModerationLists;
import nostr.relay.policy.PolicyPipeline;
import nostr.relay.policy.ReadRestriction;
import nostr.relay.policy.VerifiedAdmission;
import nostr.relay.policy.plugin.WritePolicyPlugin;
import nostr.relay.policy.stage.MlsStage;
import nostr.relay.policy.stage.RateLimitStage;
import nostr.relay.query.InitialQueries;
import nostr.relay.store.CommitJournal;
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
 *   -> SignatureVerifier pool -> VerifiedAdmission (author rate, plugin) -> GroupCommitWriter (OK after commit)
 *   -> FanOut -> SubscriptionIndex -> each connection's OutboundQueue
 * REQ -> ReadRestriction -> SubscriptionIndex (registered first) -> InitialQueries (QueryCompiler, store cursor) -> EOSE
 * cluster mode: GroupCommitWriter numbers stored events in the commit journal; FanOut -> ClusterNode -> NATS;
 *   NATS (other nodes) and the journal -> RemoteFeed -> FanOut
 * </pre>
 *
 * <p>{@link #close()} shuts down in pipeline order: stop accepting, finish verification and
 * writing (every event already received gets its OK), let fan-out finish, give outbound queues
 * a moment to flush, close the sockets. The storage stays open: its owner closes it.
 */
public final class Relay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    /** Shared token buckets (per IP, per pubkey, new connections per IP) kept before pruning early. */
    private static final int MAX_RATE_KEYS = 100_000;
    private static final java.time.Duration BUCKET_PRUNE_INTERVAL = java.time.Duration.ofSeconds(60);

    private final RelayConfig config;
    private final Storage storage;
    private final RelayMetrics metrics = new RelayMetrics();
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final AtomicReference<ModerationLists> moderation = new AtomicReference<>(ModerationLists.open());
    private final AtomicReference<IpBlocklist> blockedIps = new AtomicReference<>(IpBlocklist.empty());
    private final RelaySettings settings;
    private final JobScheduler jobs;
    private final FanOut fanOut;
    private final GroupCommitWriter writer;
    private final SignatureVerifier verifier;
    private final InitialQueries queries;
    private final ExecutorService drainer = Executors.newVirtualThreadPerTaskExecutor();
    private final RelayServices services;
    private final EdgeServer edge;
    private final RelayIdentity identity;
    private final CountRequests counts;
    private final Membership membership;
    private final AtomicReference<String> publicUrl = new AtomicReference<>();
    private final Clock clock;
    private final KeyedBuckets newConnections;
    private final WritePolicyPlugin plugin;
    private final NegentropyService negentropy;
    /** Cluster mode (nats_url set), else null. */
    private final ClusterNode cluster;
    private final CommitJournal journal;
    private BlossomHandler blossom;

    private Relay(RelayConfig config, Storage storage, Clock clock) throws IOException {
        this.config = config;
        this.storage = storage;
        this.clock = clock;
        var tuning = config.tuning();
        identity = RelayIdentity.loadOrCreate(config.secretKeyPath());
        settings = new RelaySettings(config.identity(), storage.admin());
        settings.reload();
        reloadModeration();
        ClusterConfig cc = config.cluster();
        if (cc.enabled()) {
            journal = storage.journal().orElseThrow(() -> new IllegalStateException("cluster mode (nats_url) needs a "
                    + "store several relay processes share (store = postgres); " + storage.name() + " is not one"));
            cluster = new ClusterNode(cc, cc.resolvedNodeId(config.port()), journal, metrics.registry(), new ClusterEffects());
            fanOut = new FanOut(index, 1024, metrics::delivered, cluster);
        } else {
            journal = null;
            cluster = null;
            fanOut = new FanOut(index, 1024, metrics::delivered);
        }
        writer = new GroupCommitWriter(cluster != null ? cluster.events() : storage.events(), tuning.writerQueue(),
                tuning.writerBatch(), fanOut::committed, metrics::batch, metrics::commit, metrics::removed);
        verifier = new SignatureVerifier(tuning.verifyThreads(), tuning.writerQueue());
        queries = new InitialQueries(storage.events(), config.limits(), tuning.queryTimeBudget(),
                tuning.maxConcurrentQueries(), writer::committedSeq, writer::startedSeq, fanOut::completedSeq,
                fanOut::remoteArrivals, cluster != null ? cluster::generation : () -> -1);
        counts = new CountRequests(storage.events(), config.limits(), tuning.queryTimeBudget(),
                tuning.maxConcurrentQueries(), metrics);
        // A store no other process writes (SQLite: no commit journal) reaches the index through the
        // change listener alone; re-reading it periodically would only repeat a whole-store scan.
        NegentropyConfig negentropyConfig = storage.journal().isPresent() ? config.negentropy()
                : config.negentropy().withIndexRebuildInterval(Duration.ZERO);
        negentropy = negentropyConfig.enabled() ? new NegentropyService(storage.events(), negentropyConfig,
                negentropyExcludedKinds(config.policy()), clock, tuning.maxConcurrentQueries(), tuning.queryTimeBudget(),
                config.limits().maxSubidLength(), metrics.registry()) : null;
        if (cluster != null) {
            // This process's commits: its own negentropy index, and the other nodes' (removals over NATS).
            storage.events().setChangeListener(changes -> {
                if (negentropy != null) {
                    negentropy.committed(changes);
                }
                cluster.committedHere(changes);
            });
        } else if (negentropy != null) {
            // Every commit of this process's store keeps the negentropy index equal to the store.
            storage.events().setChangeListener(negentropy::committed);
        }
        PolicyConfig pc = config.policy();
        var rates = pc.rates();
        KeyedBuckets perIp = buckets(rates.ipEventRate(), rates.ipEventBurst());
        KeyedBuckets perPubkey = buckets(rates.pubkeyEventRate(), rates.pubkeyEventBurst());
        newConnections = buckets(rates.ipConnectionRate(), rates.ipConnectionBurst());
        PolicyPipeline writes = PolicyPipeline.standard(config.limits(), pc, moderation::get, perIp, perPubkey);
        plugin = pc.plugin().configured() ? new WritePolicyPlugin(pc.plugin()) : null;
        VerifiedAdmission admission = new VerifiedAdmission(writes.rates(), plugin, pc.plugin().failOpen(),
                metrics::pluginOutcome);
        AccessPolicy policy = new AccessPolicy(pc, writes, admission, new ReadRestriction(pc, moderation::get),
                new AuthVerifier(publicUrl::get, pc.auth().windowSeconds()));
        boolean restricted = pc.accessMode() != PolicyConfig.AccessMode.OPEN || !pc.kindsAllow().isEmpty()
                || !pc.kindsDeny().isEmpty() || pc.auth().mode().writes() || !pc.auth().writeKinds().isEmpty()
                || pc.pow().minDifficulty() > 0 || !pc.pow().perKind().isEmpty() || plugin != null;
        // The public URL is known once the port is bound (port 0); the rules read it through publicUrl.
        VanishRequests vanish = new VanishRequests(() -> publicUrl.get());
        membership = new Membership(storage.groups(), storage.events(), identity, config.membership(),
                () -> publicUrl.get(), clock, metrics, writer::submit, this::moderationChangedHere);
        KindRules rules = membership.register(KindRules.none()
                .check(DeletionRequests.KIND, (e, now) -> DeletionRequests.check(e))
                .check(VanishRequests.KIND, (e, now) -> vanish.check(e)));
        Ingester ingester = new Ingester(verifier, writer, fanOut, metrics, rules, clock, admission);
        services = new RelayServices(config.limits(), tuning, policy, ingester, index, queries, metrics, drainer, clock,
                counts, membership, negentropy);
        edge = new EdgeServer(config.host(), config.port(), config.limits(), tuning,
                transport -> new Connection(services, transport),
                () -> RelayInfo.json(settings.identity(), identity.pubkey(), config.limits(),
                        restricted || moderation.get().restrictsWrites(), pc.auth().mode() == PolicyConfig.AuthMode.ALL,
                        pc.pow().minDifficulty(), config.negentropy()),
                metrics, storage::isHealthy, storage.name(), this::admitConnection, pc.trustProxy());
        edge.refuseConnectionsFrom(address -> blockedIps.get().blocks(address));
        ManagementApi api = new ManagementApi(storage, new ManagementApi.LiveEffects() {
            @Override
            public void moderationChanged() {
                moderationChangedHere();
            }

            @Override
            public void settingsChanged() {
                settings.reload();
                if (cluster != null) {
                    cluster.announceSettings();
                }
            }

            @Override
            public void ipBlocked(InetAddress address) {
                closeConnectionsFrom(address);
                if (cluster != null) {
                    cluster.announceIpBlocked(IpBlocklist.canonical(address));
                }
            }

            @Override
            public void memberAdded(String pubkey, java.util.List<String> roles) {
                try {
                    membership.add(pubkey, roles);
                } catch (StoreException | RuntimeException e) {
                    // The store has the member; the list is repaired at the next start.
                    LOG.warn("could not announce NIP-43 member {} added through NIP-86: {}", pubkey, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void rolesChanged() {
                try {
                    membership.reconcile();
                } catch (StoreException | RuntimeException e) {
                    LOG.warn("could not publish the NIP-43 membership list after a NIP-86 role change: {}", e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        // NIP-98 u tags name the public URL (relay_url, else ws://host:port/), known once the port is bound.
        ManagementEndpoint management = new ManagementEndpoint(api, () -> config.operations().adminPubkeys(),
                () -> publicUrl.get() != null ? publicUrl.get() : url(), clock, metrics.registry());
        edge.mountPost(new PostHandler() {
            @Override
            public int maxBodyBytes() {
                return ManagementEndpoint.MAX_BODY_BYTES;
            }

            @Override
            public Answer post(String contentType, String authorization, byte[] body) {
                ManagementApi.Reply r = management.handle(contentType, authorization, body);
                return new Answer(r.status(), r.json());
            }
        });
        var ops = config.operations();
        jobs = new JobScheduler(clock, metrics.registry())
                .add(new ExpiryPurgeJob(storage.events(), clock, ops.expiryPurgeInterval()))
                .add(new VanishScrubJob(storage.maintenance(), ops.vanishScrubInterval()))
                .add(new ModerationReloadJob(this::loadModeration, ops.moderationReloadInterval()))
                .add(new KindRetentionJob(storage.events(), clock, retention(ops.kindRetention(), pc.mls()),
                        ops.retentionPurgeInterval()))
                .add(new BucketPruneJob(writes.rates(), newConnections));
        if (cluster != null) {
            jobs.add(new JournalPruneJob(journal, cc.journalRetention()));
        }
        if (negentropy != null) {
            negentropy.jobs().forEach(jobs::add);
        }
    }

    /**
     * Kinds the whole-store negentropy index leaves out: those some readers may not see (gift wraps
     * in recipient mode, {@code auth_required_read_kinds}); sessions merge in what their reader may see.
     */
    static java.util.Set<Integer> negentropyExcludedKinds(PolicyConfig pc) {
        java.util.Set<Integer> kinds = new java.util.TreeSet<>(pc.auth().readKinds().enumerate(PolicyConfig.MAX_READ_KINDS));
        if (pc.giftWrapReads() == PolicyConfig.GiftWrapReads.RECIPIENT) {
            kinds.add(nostr.core.nip59.GiftWrap.KIND);
        }
        return kinds;
    }

    /** Closes this node's connections from a blocked address. */
    private void closeConnectionsFrom(InetAddress address) {
        int closed = edge.closeConnectionsFrom(address, 1008, "blocked: this address is blocked by the relay operator");
        if (closed > 0) {
            LOG.info("closed {} connection(s) from blocked address {}", closed, IpBlocklist.canonical(address));
        }
    }

    /** Moderation lists or members changed through this node: reload them, and tell the other nodes. */
    private void moderationChangedHere() {
        reloadModeration();
        if (cluster != null) {
            cluster.announceModeration();
        }
    }

    /** What other nodes' control messages make this node do (cluster mode). */
    private final class ClusterEffects implements ClusterNode.LocalEffects {
        @Override
        public void moderationChanged() {
            reloadModeration();
        }

        @Override
        public void settingsChanged() {
            settings.reload();
        }

        @Override
        public void ipBlocked(String ip) {
            try {
                closeConnectionsFrom(InetAddress.ofLiteral(ip));
            } catch (IllegalArgumentException e) {
                LOG.warn("cluster: another node blocked '{}', which is not an IP address", ip);
            }
        }

        @Override
        public void storedElsewhere(java.util.List<nostr.core.event.Event> events) {
            if (negentropy != null) {
                negentropy.storedElsewhere(events);
            }
        }

        @Override
        public void removedElsewhere(java.util.List<nostr.relay.cluster.RemovedEvent> items) {
            if (negentropy != null && negentropy.index() != null) {
                for (var i : items) {
                    negentropy.index().removed(i.createdAt(), nostr.core.Hex.decode(i.id()));
                }
            }
        }
    }

    /** Shared buckets for a rate (null when the rate is 0: off). */
    private static KeyedBuckets buckets(int rate, int burst) {
        return rate > 0 ? new KeyedBuckets(rate, PolicyConfig.Rates.burst(rate, burst), MAX_RATE_KEYS) : null;
    }

    /**
     * The retention job's kinds: {@code kind_retention}, plus with {@code mls_enabled} kind 445 for
     * {@code mls_group_event_ttl_seconds} unless {@code kind_retention} names 445 itself.
     */
    static java.util.Map<Integer, java.time.Duration> retention(java.util.Map<Integer, java.time.Duration> configured,
                                                                 PolicyConfig.Mls mls) {
        if (!mls.enabled() || configured.containsKey(MlsStage.GROUP_EVENT)) {
            return configured;
        }
        java.util.Map<Integer, java.time.Duration> out = new java.util.TreeMap<>(configured);
        out.put(MlsStage.GROUP_EVENT, java.time.Duration.ofSeconds(mls.groupEventTtlSeconds()));
        return out;
    }

    /**
     * The edge's gate for new WebSockets: blocked addresses (403; also refused by
     * {@link EdgeServer#refuseConnectionsFrom}, kept here for addresses the moderation lists block)
     * and new connections per address (429).
     */
    private ConnectionGate.Refusal admitConnection(String ip) {
        if (ip.isEmpty()) {
            return null;
        }
        if (moderation.get().blockReason(ip) != null) {
            return new ConnectionGate.Refusal(403, "blocked: your IP address is blocked on this relay", "blocked");
        }
        if (newConnections != null && !newConnections.tryTake(IpAddresses.rateKey(ip), clock.millis() * 1_000_000L)) {
            return new ConnectionGate.Refusal(429, "rate-limited: too many new connections from your address; slow down",
                    "rate-limited");
        }
        return null;
    }

    /** Forgets shared token buckets that are full again (idle clients), every minute. */
    private final class BucketPruneJob implements BackgroundJob {
        private final RateLimitStage rates;
        private final KeyedBuckets connections;

        BucketPruneJob(RateLimitStage rates, KeyedBuckets connections) {
            this.rates = rates;
            this.connections = connections;
        }

        @Override
        public String name() {
            return "rate_limit_prune";
        }

        @Override
        public java.time.Duration interval() {
            return BUCKET_PRUNE_INTERVAL;
        }

        @Override
        public long run() {
            long now = clock.millis() * 1_000_000L;
            long pruned = rates == null ? 0 : rates.prune(now);
            return pruned + (connections == null ? 0 : connections.prune(now));
        }
    }

    /** Starts a relay on an opened storage and binds its port. */
    public static Relay start(RelayConfig config, Storage storage) throws Exception {
        return start(config, storage, Clock.systemUTC());
    }

    /**
     * As {@link #start(RelayConfig, Storage)} with a given clock (tests of created_at bounds).
     *
     * @throws IOException when the relay key file cannot be read or created (see {@link RelayIdentity})
     */
    public static Relay start(RelayConfig config, Storage storage, Clock clock) throws Exception {
        Relay relay = new Relay(config, storage, clock);
        try {
            relay.edge.bind();
            relay.publicUrl.set(config.publicUrl(relay.edge.port()));
            if (relay.cluster != null) {
                // Joined before the first connection is accepted: every event this node stores is published.
                relay.cluster.start(relay.fanOut, config.limits().maxMessageLength());
            }
            if (config.blossom().enabled()) {
                relay.blossom = BlossomMount.handler(config, relay.edge.port(), storage, relay.clock);
                relay.edge.mount(relay.blossom);
            }
            relay.edge.start();
            relay.reconcileMembership();
            if (relay.negentropy != null) {
                relay.negentropy.start();
            }
            relay.jobs.start();
        } catch (Exception e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    /** Brings the NIP-43 membership list up to date with the store; a store failure is logged, not fatal. */
    private void reconcileMembership() throws InterruptedException {
        try {
            membership.reconcile();
        } catch (StoreException | RuntimeException e) {
            LOG.warn("could not check the NIP-43 membership list at startup: {}", e.toString());
        }
    }

    /** The relay's public URL: {@code relay_url}, or the bound {@code ws://host:port/}. */
    public String publicUrl() {
        return publicUrl.get();
    }

    /** The relay's own key (NIP-11 {@code self}). */
    public RelayIdentity identity() {
        return identity;
    }

    /** NIP-43 relay membership (the operator's Java API). */
    public Membership membership() {
        return membership;
    }

    /** This node of a cluster, if {@code nats_url} is set. */
    public Optional<ClusterNode> cluster() {
        return Optional.ofNullable(cluster);
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

    /** The Blossom server mounted on the relay's port, if {@code blossom_enabled}. */
    public Optional<BlossomHandler> blossom() {
        return Optional.ofNullable(blossom);
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

    /** NIP-77: the negentropy sessions and the whole-store index (null when {@code negentropy_enabled} is off). */
    public NegentropyService negentropy() {
        return negentropy;
    }

    /** The background jobs (expiry purge, vanish scrub, moderation reload) and their status. */
    public JobScheduler jobs() {
        return jobs;
    }

    /**
     * Reads the moderation lists (and, in members mode, the relay's members) from the store again:
     * bans, allowlists, blocked IPs and membership changes take effect at once.
     */
    public void reloadModeration() {
        try {
            loadModeration();
        } catch (UnsupportedOperationException e) {
            LOG.debug("the store has no moderation lists: {}", e.getMessage());
        } catch (StoreException | RuntimeException e) {
            LOG.warn("could not load moderation lists, keeping the previous ones: {}", e.toString());
        }
    }

    /**
     * Reads the moderation lists, blocked IPs and NIP-86 settings; throws when the store cannot be
     * read (the previous lists stay).
     *
     * @return entries loaded
     */
    private long loadModeration() throws StoreException {
        boolean membersMode = config.policy().accessMode() == PolicyConfig.AccessMode.MEMBERS;
        ModerationLists lists = ModerationLists.load(storage, membersMode);
        if (membersMode) {
            // The relay's own key publishes its NIP-43 events (and the operator signs 8000/8001/33534 with it).
            java.util.Set<String> members = new java.util.HashSet<>(lists.members());
            members.add(identity.pubkey());
            lists = new ModerationLists(lists.bannedPubkeys(), lists.bannedEvents(), lists.allowedPubkeys(),
                    lists.allowedKinds(), lists.blockedIps(), members);
        }
        IpBlocklist ips = IpBlocklist.load(storage.moderation());
        moderation.set(lists);
        blockedIps.set(ips);
        settings.reload();
        return lists.bannedPubkeys().size() + lists.bannedEvents().size() + lists.allowedPubkeys().size()
                + lists.allowedKinds().size() + ips.addresses().size();
    }

    @Override
    public void close() {
        jobs.close();
        edge.stopAccepting();
        verifier.close();
        membership.close();
        writer.close();
        if (cluster != null) {
            // After the writer (its last commits are published), before fan-out (the feed feeds it).
            cluster.close();
        }
        fanOut.close();
        counts.close();
        if (negentropy != null) {
            storage.events().setChangeListener(null);
            negentropy.close();
        }
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
        drainer.shutdown();
    }
}
