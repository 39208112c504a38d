package nostr.relay.testing;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.relay.config.Limits;
import nostr.relay.config.Tuning;
import nostr.relay.connection.Connection;
import nostr.relay.count.CountRequests;
import nostr.relay.connection.RelayServices;
import nostr.relay.ingest.GroupCommitWriter;
import nostr.relay.ingest.Ingester;
import nostr.relay.ingest.SignatureVerifier;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.config.PolicyConfig;
import nostr.relay.policy.AccessPolicy;
import nostr.relay.policy.ModerationLists;
import nostr.relay.query.InitialQueries;
import nostr.relay.store.EventStore;
import nostr.relay.subscription.FanOut;
import nostr.relay.subscription.SubscriptionIndex;

/**
 * The relay's pipeline without the network: real verifier, writer, fan-out, queries over a real
 * store, and connections driven by strings through {@link RecordingTransport}s. Outbound drains
 * run on the producing thread. Optionally a gate holds committed batches before fan-out, to
 * stage the races the subscription hand-over must survive.
 */
public final class TestPipeline implements AutoCloseable {
    public final RelayMetrics metrics = new RelayMetrics();
    public final SubscriptionIndex index = new SubscriptionIndex();
    public final AtomicReference<ModerationLists> moderation = new AtomicReference<>(ModerationLists.open());
    public final FanOut fanOut;
    public final GroupCommitWriter writer;
    public final SignatureVerifier verifier;
    public final InitialQueries queries;
    public final CountRequests counts;
    public final RelayServices services;
    /**
     * The remote feed's generation as the stored phase reads it (cluster mode); -1, the default,
     * is a relay outside a cluster.
     */
    public final java.util.concurrent.atomic.AtomicLong remoteGeneration = new java.util.concurrent.atomic.AtomicLong(-1);
    private volatile CountDownLatch fanOutGate;
    private volatile long gateAfterSeq;

    /** The relay URL AUTH events must name on a test pipeline. */
    public static final String RELAY_URL = "ws://relay.test/";

    public TestPipeline(EventStore store, Limits limits, Tuning tuning) {
        this(store, limits, tuning, PolicyConfig.defaults(), Clock.systemUTC());
    }

    /** A pipeline with its own policy settings and clock (no shared rate limits, no plugin). */
    public TestPipeline(EventStore store, Limits limits, Tuning tuning, PolicyConfig policy, Clock clock) {
        fanOut = new FanOut(index, 1024, metrics::delivered);
        writer = new GroupCommitWriter(store, tuning.writerQueue(), tuning.writerBatch(), (seq, stored) -> {
            CountDownLatch gate = fanOutGate;
            if (gate != null && seq > gateAfterSeq) {
                gate.await();
            }
            fanOut.committed(seq, stored);
        }, metrics::batch, metrics::commit);
        verifier = new SignatureVerifier(2, 1024);
        queries = new InitialQueries(store, limits, tuning.queryTimeBudget(), tuning.maxConcurrentQueries(),
                writer::committedSeq, writer::startedSeq, fanOut::completedSeq, fanOut::remoteArrivals, remoteGeneration::get);
        counts = new CountRequests(store, limits, tuning.queryTimeBudget(), tuning.maxConcurrentQueries(), metrics);
        services = new RelayServices(limits, tuning, AccessPolicy.of(limits, policy, moderation::get, RELAY_URL),
                new Ingester(verifier, writer, fanOut, metrics), index, queries, metrics, Runnable::run, clock,
                counts, null);
    }

    public TestPipeline(EventStore store) {
        this(store, Limits.defaults(), Tuning.defaults());
    }

    /** A new client connection. */
    public Client connect() {
        RecordingTransport t = new RecordingTransport();
        return new Client(new Connection(services, t), t);
    }

    /** Batches committed from now on wait before fan-out until {@link #openFanOut()}. */
    public void holdFanOut() {
        gateAfterSeq = writer.committedSeq();
        fanOutGate = new CountDownLatch(1);
    }

    public void openFanOut() {
        CountDownLatch g = fanOutGate;
        fanOutGate = null;
        if (g != null) {
            g.countDown();
        }
    }

    @Override
    public void close() {
        openFanOut();
        verifier.close();
        writer.close();
        fanOut.close();
        queries.close();
        counts.close();
    }

    /** A connection and what it received. */
    public record Client(Connection connection, RecordingTransport log) {
        public void send(String text) {
            connection.onText(text);
        }

        /** Sends EVENT and waits for its OK. */
        public RelayMessage.Ok publish(Event e) {
            send(new ClientMessage.EventMsg(e).toJson());
            return log.awaitOk(e.id());
        }

        /** Sends REQ. */
        public void req(String subId, Filter... filters) {
            send(new ClientMessage.Req(subId, List.of(filters)).toJson());
        }

        /** Sends REQ and returns the ids of the stored events before EOSE. */
        public List<String> query(String subId, Filter... filters) {
            req(subId, filters);
            return log.awaitEose(subId);
        }

        public void close(String subId) {
            send(new ClientMessage.Close(subId).toJson());
        }
    }
}
