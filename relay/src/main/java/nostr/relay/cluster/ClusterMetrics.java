package nostr.relay.cluster;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The cluster's Prometheus metrics ({@code parrhesia_cluster_*}), in the relay's registry. */
final class ClusterMetrics {
    private final Counter published;
    private final Counter publishFailures;
    private final Counter received;
    private final Counter duplicates;
    private final Counter gaps;
    private final Counter missed;
    private final Counter polls;
    private final Counter control;
    private final Counter removedReceived;
    private final Gauge connected;
    private final Histogram lag;

    ClusterMetrics(PrometheusRegistry registry) {
        published = Counter.builder().name("parrhesia_cluster_published_total")
                .help("Messages published to NATS, by type: stored, ephemeral, control, removed").labelNames("type").register(registry);
        publishFailures = Counter.builder().name("parrhesia_cluster_publish_failures_total")
                .help("Messages that could not be handed to NATS (other nodes catch stored events up from the journal)")
                .register(registry);
        received = Counter.builder().name("parrhesia_cluster_events_received_total")
                .help("Events of other nodes handed to fan-out, by way: nats, journal (caught up), ephemeral")
                .labelNames("via").register(registry);
        duplicates = Counter.builder().name("parrhesia_cluster_duplicates_total")
                .help("NATS messages of events already caught up from the journal (dropped)").register(registry);
        gaps = Counter.builder().name("parrhesia_cluster_gaps_total")
                .help("Gaps in an origin's numbers noticed on a NATS message (then caught up from the journal)").register(registry);
        missed = Counter.builder().name("parrhesia_cluster_events_missed_total")
                .help("Journal entries not fanned out, by reason: gone (deleted or replaced since), pruned, unreadable")
                .labelNames("reason").register(registry);
        polls = Counter.builder().name("parrhesia_cluster_polls_total")
                .help("Reads of the journal heads, by outcome: ok, failed").labelNames("outcome").register(registry);
        control = Counter.builder().name("parrhesia_cluster_control_received_total")
                .help("Control messages of other nodes acted on, by change").labelNames("change").register(registry);
        removedReceived = Counter.builder().name("parrhesia_cluster_removals_received_total")
                .help("Events other nodes reported removed (applied to this node's negentropy index)").register(registry);
        connected = Gauge.builder().name("parrhesia_cluster_nats_connected")
                .help("1 while the NATS connection is up").register(registry);
        lag = Histogram.builder().name("parrhesia_cluster_delivery_lag_seconds")
                .help("From the origin's commit to this node's fan-out, for events arriving over NATS (clocks of two machines)")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
    }

    void published(String type) {
        published.labelValues(type).inc();
    }

    void publishFailed() {
        publishFailures.inc();
    }

    void received(String via, long n) {
        if (n > 0) {
            received.labelValues(via).inc(n);
        }
    }

    void duplicate() {
        duplicates.inc();
    }

    void gap() {
        gaps.inc();
    }

    void missed(String reason, long n) {
        if (n > 0) {
            missed.labelValues(reason).inc(n);
        }
    }

    void poll(boolean ok) {
        polls.labelValues(ok ? "ok" : "failed").inc();
    }

    void control(String change) {
        control.labelValues(change).inc();
    }

    void removedReceived(long n) {
        removedReceived.inc(n);
    }

    void connected(boolean up) {
        connected.set(up ? 1 : 0);
    }

    void lag(long millis) {
        lag.observe(Math.max(0, millis) / 1000.0);
    }
}
