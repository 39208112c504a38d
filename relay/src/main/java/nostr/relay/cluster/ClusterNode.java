package nostr.relay.cluster;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import nostr.core.event.Event;
import nostr.relay.config.ClusterConfig;
import nostr.relay.store.CommitJournal;
import nostr.relay.store.EventStore;
import nostr.relay.store.StoreException;
import nostr.relay.subscription.FanOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This relay as one node of a cluster: several relay processes sharing one PostgreSQL store, each
 * fanning out every accepted event to its own subscribers, over an external NATS server.
 *
 * <p>Outgoing: the writer stores through {@link #events} (the store's commit journal numbers each
 * stored event in the same transaction, {@link CommitJournal#recording}); after the commit fan-out
 * hands the events to this node ({@link FanOut.Forwarder}), which publishes each with its number.
 * Ephemeral events are published unnumbered. Incoming: the {@link RemoteFeed} puts other nodes'
 * events into fan-out exactly once, catching up from the journal whatever NATS did not bring (a
 * poll thread reads the journal heads every {@code cluster_poll_interval_ms}, and at once after a
 * reconnection). Control messages make other nodes reload moderation lists and settings at once.
 *
 * <p>Publishing never blocks the writer: NATS's outgoing queue discards when full, and a message
 * that could not be published is caught up by the others from the journal. The node's name is
 * leased in the database ({@link CommitJournal#lease}) so two running nodes cannot share it.
 */
public final class ClusterNode implements FanOut.Forwarder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** Room left in a NATS message for headers beyond the event itself. */
    static final int HEADER_ALLOWANCE = 1024;

    /** What other nodes' control messages make this node do. */
    public interface LocalEffects {
        /** Re-read bans, allowlists, kinds, blocked addresses and members. */
        void moderationChanged();

        /** Re-read the NIP-86 settings (NIP-11 name, description, icon). */
        void settingsChanged();

        /** An address was blocked: close its open connections here too. */
        void ipBlocked(String ip);

        /** Events other nodes stored, as this node's fan-out got them (this node's store listener never hears of them). */
        void storedElsewhere(List<Event> events);

        /** Events other nodes' transactions removed. */
        void removedElsewhere(List<RemovedEvent> items);
    }

    /** Removed events per NATS message. */
    static final int REMOVED_PER_MESSAGE = 2000;

    private final ClusterConfig config;
    private final String nodeId;
    private final CommitJournal journal;
    private final ClusterMetrics metrics;
    private final LocalEffects effects;
    private final ClusterMessage.Subjects subjects;
    /** Writer thread: numbers the journal gave to events of the batch being committed. */
    private final Map<String, Long> numbers = new ConcurrentHashMap<>();
    private final EventStore events;
    private volatile Connection nats;
    private volatile RemoteFeed feed;
    private CommitJournal.Lease lease;
    private ScheduledExecutorService poller;
    private volatile boolean closed;

    /**
     * @param nodeId this node's unique name ({@link ClusterConfig#resolvedNodeId})
     * @param journal the shared store's commit journal
     */
    public ClusterNode(ClusterConfig config, String nodeId, CommitJournal journal, PrometheusRegistry registry,
                       LocalEffects effects) {
        this.config = config;
        this.nodeId = nodeId;
        this.journal = journal;
        this.metrics = new ClusterMetrics(registry);
        this.effects = effects;
        this.subjects = ClusterMessage.Subjects.of(config.clusterName());
        this.events = journal.recording(nodeId, entries -> {
            for (CommitJournal.Entry e : entries) {
                numbers.put(e.eventId(), e.seq());
            }
        });
    }

    /** The events store the writer must use: it numbers what it stores in the commit journal. */
    public EventStore events() {
        return events;
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Joins the cluster: claims the node name, begins at the journal's current heads, connects to
     * NATS and subscribes, starts polling. Before the relay accepts connections.
     *
     * @param maxMessageLength the relay's {@code max_message_length}: every event must fit in a NATS message
     * @throws IllegalStateException naming the problem (name in use, NATS unreachable or too small)
     */
    public void start(FanOut fanOut, int maxMessageLength) throws StoreException, InterruptedException {
        lease = journal.lease(nodeId);
        RemoteFeed f = new RemoteFeed(journal, nodeId, fanOut, metrics, this::storedElsewhere);
        f.start();
        feed = f;
        Options options = new Options.Builder()
                .servers(config.natsUrl().split("\\s*,\\s*"))
                .connectionName("parrhesia " + nodeId)
                .noEcho()
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .connectionTimeout(Duration.ofSeconds(5))
                .pingInterval(Duration.ofSeconds(5))
                .maxPingsOut(2)
                .discardMessagesWhenOutgoingQueueFull()
                .connectionListener(this::connectionEvent)
                .errorListener(new ErrorListener() {
                    @Override
                    public void slowConsumerDetected(Connection conn, Consumer consumer) {
                        LOG.warn("cluster: NATS dropped messages for this node (slow consumer); catching up from the journal");
                    }

                    @Override
                    public void messageDiscarded(Connection conn, Message msg) {
                        metrics.publishFailed();
                    }

                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        LOG.warn("cluster: NATS error: {}", error);
                    }

                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        LOG.debug("cluster: NATS connection exception", exp);
                    }
                })
                .build();
        Connection c;
        try {
            c = Nats.connect(options);
        } catch (IOException | RuntimeException e) {
            // jnats names the servers it tried, credentials included.
            throw new IllegalStateException("cannot connect to NATS at " + config.redactedUrl() + ": "
                    + ClusterConfig.redact(describe(e)));
        }
        long maxPayload = c.getMaxPayload();
        if (maxPayload < (long) maxMessageLength + HEADER_ALLOWANCE) {
            c.close();
            throw new IllegalStateException("NATS at " + config.redactedUrl() + " accepts messages of at most "
                    + maxPayload + " bytes (max_payload), but max_message_length is " + maxMessageLength
                    + ": raise max_payload on the NATS server or lower max_message_length");
        }
        Dispatcher d = c.createDispatcher(this::onMessage);
        d.subscribe(subjects.events());
        d.subscribe(subjects.ephemeral());
        d.subscribe(subjects.control());
        d.subscribe(subjects.removed());
        try {
            c.flush(Duration.ofSeconds(5));
        } catch (java.util.concurrent.TimeoutException e) {
            c.close();
            throw new IllegalStateException("NATS at " + config.redactedUrl() + " did not confirm the subscriptions within 5 s");
        }
        nats = c;
        metrics.connected(true);
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cluster-poll").daemon(true).factory());
        long every = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(() -> poll(false), every, every, TimeUnit.MILLISECONDS);
        LOG.info("cluster: node {} of cluster {} joined via NATS {}", nodeId, config.clusterName(), config.redactedUrl());
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && (m == null || !m.contains(cause.getMessage()))) {
            m = (m == null ? "" : m + ": ") + cause.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** The remote feed's generation (see {@code Subscription}); 0 before the node has started. */
    public long generation() {
        RemoteFeed f = feed;
        return f == null ? 0 : f.generation();
    }

    private void poll(boolean toCurrentHeads) {
        if (closed) {
            return;
        }
        if (!lease.renew()) {
            LOG.error("cluster: lost the claim on node_id '{}' and cannot take it back (is another node running under "
                    + "this name?)", nodeId);
        }
        try {
            feed.poll(toCurrentHeads);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("cluster: catching up from the commit journal failed", e);
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> {
                metrics.connected(false);
                LOG.warn("cluster: disconnected from NATS; reconnecting, other nodes' events come from the journal meanwhile");
            }
            case RECONNECTED -> {
                metrics.connected(true);
                LOG.info("cluster: reconnected to NATS");
            }
            case RESUBSCRIBED -> {
                // What was published while we were away is caught up from the journal now.
                ScheduledExecutorService p = poller;
                if (p != null && !closed) {
                    p.execute(() -> poll(true));
                }
            }
            case CLOSED -> metrics.connected(false);
            default -> { }
        }
    }

    private void onMessage(Message msg) {
        ClusterMessage m;
        try {
            m = ClusterMessage.parse(subjects, msg);
        } catch (IllegalArgumentException e) {
            LOG.warn("cluster: ignoring a malformed message on {}: {}", msg.getSubject(), e.getMessage());
            return;
        }
        if (m.origin().equals(nodeId)) {
            return;
        }
        try {
            switch (m) {
                case ClusterMessage.Stored s -> feed.onStored(s);
                case ClusterMessage.Ephemeral e -> feed.onEphemeral(e);
                case ClusterMessage.Control c -> control(c);
                case ClusterMessage.Removed r -> removedElsewhere(r.items());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void control(ClusterMessage.Control c) {
        try {
            switch (c.change()) {
                case MODERATION -> effects.moderationChanged();
                case SETTINGS -> effects.settingsChanged();
                case IP_BLOCKED -> {
                    effects.moderationChanged();
                    if (c.ip() != null) {
                        effects.ipBlocked(c.ip());
                    }
                }
            }
            metrics.control(c.change().wire());
        } catch (RuntimeException e) {
            LOG.warn("cluster: acting on {} from node {} failed: {}", c.change().wire(), c.origin(), e.toString());
        }
    }

    private void storedElsewhere(List<Event> events) {
        try {
            effects.storedElsewhere(events);
        } catch (RuntimeException e) {
            LOG.warn("cluster: indexing events of other nodes failed: {}", e.toString());
        }
    }

    private void removedElsewhere(List<RemovedEvent> items) {
        try {
            effects.removedElsewhere(items);
            metrics.removedReceived(items.size());
        } catch (RuntimeException e) {
            LOG.warn("cluster: acting on removals of other nodes failed: {}", e.toString());
        }
    }

    /**
     * What this node's own transactions committed (the store's change listener): the removals are
     * published for the other nodes' negentropy indexes (what they store arrives through the feed).
     */
    public void committedHere(List<EventStore.Change> changes) {
        List<RemovedEvent> removed = new java.util.ArrayList<>();
        for (EventStore.Change c : changes) {
            if (c instanceof EventStore.Change.Removed r) {
                removed.add(new RemovedEvent(r.createdAt(), nostr.core.Hex.encode(r.id())));
                if (removed.size() == REMOVED_PER_MESSAGE) {
                    publishRemoved(removed);
                    removed = new java.util.ArrayList<>();
                }
            }
        }
        if (!removed.isEmpty()) {
            publishRemoved(removed);
        }
    }

    private void publishRemoved(List<RemovedEvent> items) {
        ClusterMessage.Removed m = new ClusterMessage.Removed(nodeId, items);
        publish(subjects.removed(), ClusterMessage.headers(m), ClusterMessage.body(m), "removed");
    }

    /** Publishes the events the writer just committed, each with its journal number (writer thread). */
    @Override
    public void committed(List<Event> stored) {
        try {
            for (Event e : stored) {
                Long seq = numbers.remove(e.id());
                if (seq == null) {
                    // Not recorded (the writer stored it without the journal): nothing to number it by.
                    LOG.error("cluster: event {} was stored without a commit journal number; other nodes will not fan it out",
                            e.id());
                    continue;
                }
                ClusterMessage.Stored m = new ClusterMessage.Stored(nodeId, seq, System.currentTimeMillis(), e.json());
                publish(subjects.events(), ClusterMessage.headers(m), e.json(), "stored");
            }
        } finally {
            numbers.clear();
        }
    }

    @Override
    public void ephemeral(Event event) {
        publish(subjects.ephemeral(), ClusterMessage.headers(new ClusterMessage.Ephemeral(nodeId, event.json())),
                event.json(), "ephemeral");
    }

    /** Tells the other nodes that this node changed something they cache. */
    public void announce(ClusterMessage.Change change, String ip) {
        Headers h = ClusterMessage.headers(new ClusterMessage.Control(nodeId, change, ip));
        publish(subjects.control(), h, "", "control");
    }

    /** Bans, allowlists, kinds or members changed here. */
    public void announceModeration() {
        announce(ClusterMessage.Change.MODERATION, null);
    }

    /** NIP-86 settings changed here. */
    public void announceSettings() {
        announce(ClusterMessage.Change.SETTINGS, null);
    }

    /** An address was blocked here. */
    public void announceIpBlocked(String ip) {
        announce(ClusterMessage.Change.IP_BLOCKED, ip);
    }

    private void publish(String subject, Headers headers, String body, String type) {
        Connection c = nats;
        if (c == null || closed) {
            metrics.publishFailed();
            return;
        }
        try {
            c.publish(subject, headers, body.getBytes(StandardCharsets.UTF_8));
            metrics.published(type);
        } catch (RuntimeException e) {
            // Closed, reconnect buffer full, too large: the others catch stored events up from the journal.
            metrics.publishFailed();
            LOG.debug("cluster: publishing to {} failed: {}", subject, e.toString());
        }
    }

    /** Stops polling, sends what is queued to NATS, disconnects, gives up the node name. */
    @Override
    public void close() {
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
            try {
                poller.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Connection c = nats;
        nats = null;
        if (c != null) {
            try {
                c.flush(Duration.ofSeconds(2));
            } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
                LOG.debug("cluster: flushing NATS on close failed: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (lease != null) {
            lease.close();
        }
    }
}
