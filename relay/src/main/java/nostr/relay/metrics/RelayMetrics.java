package nostr.relay.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The relay's Prometheus metrics, in a registry of its own (several relays can run in one JVM,
 * as tests do). Served as text at {@code /metrics}. Names start with {@code parrhesia_}.
 */
public final class RelayMetrics {
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();
    /** Reject reasons are the NIP-01 machine prefixes; anything else is counted as "other". */
    private static final java.util.Set<String> PREFIXES = java.util.Set.of(
            "invalid", "blocked", "rate-limited", "restricted", "error", "pow", "duplicate", "mute", "unsupported",
            "auth-required");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter received;
    private final Counter accepted;
    private final Counter rejected;
    private final Gauge connections;
    private final Counter connectionsOpened;
    private final Gauge subscriptions;
    private final Counter reqs;
    private final Counter closedReqs;
    private final Histogram okLatency;
    private final Histogram batchSize;
    private final Histogram commitTime;
    private final Counter slowConsumerCloses;
    private final Counter deliveries;
    private final Counter notices;
    private final Counter policyRejections;
    private final Counter auths;
    private final Counter pluginOutcomes;
    private final Counter connectionsRefused;
    private final Counter requestsApplied;
    private final Counter eventsRemoved;
    private final Counter counts;
    private final Histogram countTime;
    private final Counter membershipChanges;
    private final Counter invitesIssued;

    public RelayMetrics() {
        JvmMetrics.builder().register(registry);
        received = Counter.builder().name("parrhesia_events_received_total")
                .help("EVENT messages received with a parseable event").register(registry);
        accepted = Counter.builder().name("parrhesia_events_accepted_total")
                .help("Events answered OK true, by result: stored, duplicate, superseded, ephemeral, shadow_rejected")
                .labelNames("result").register(registry);
        rejected = Counter.builder().name("parrhesia_events_rejected_total")
                .help("Events answered OK false, by NIP-01 machine prefix").labelNames("reason").register(registry);
        connections = Gauge.builder().name("parrhesia_connections").help("Open WebSocket connections").register(registry);
        connectionsOpened = Counter.builder().name("parrhesia_connections_opened_total")
                .help("WebSocket connections accepted").register(registry);
        subscriptions = Gauge.builder().name("parrhesia_subscriptions").help("Open subscriptions").register(registry);
        reqs = Counter.builder().name("parrhesia_reqs_total").help("REQ messages accepted").register(registry);
        closedReqs = Counter.builder().name("parrhesia_reqs_closed_total")
                .help("Subscriptions ended by the relay (CLOSED), by machine prefix").labelNames("reason").register(registry);
        okLatency = Histogram.builder().name("parrhesia_ok_latency_seconds")
                .help("Time from receiving an EVENT to sending its OK")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
        batchSize = Histogram.builder().name("parrhesia_writer_batch_size")
                .help("Events per writer transaction (group commit)")
                .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048).register(registry);
        commitTime = Histogram.builder().name("parrhesia_writer_commit_seconds")
                .help("Time of one writer transaction (EventStore.write of a batch)")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5).register(registry);
        slowConsumerCloses = Counter.builder().name("parrhesia_slow_consumer_closes_total")
                .help("Connections closed because their outbound queue overflowed").register(registry);
        deliveries = Counter.builder().name("parrhesia_fanout_deliveries_total")
                .help("Live events queued to subscriptions by fan-out").register(registry);
        notices = Counter.builder().name("parrhesia_notices_total")
                .help("NOTICE messages sent (unparseable or unsupported messages)").register(registry);
        policyRejections = Counter.builder().name("parrhesia_policy_rejections_total")
                .help("EVENTs refused by the write policy, by stage: shape, ip, access, kind, auth, nip70, pow, rate, "
                        + "expiry, mls, plugin").labelNames("stage").register(registry);
        auths = Counter.builder().name("parrhesia_auth_total")
                .help("NIP-42 AUTH messages, by result: accepted, refused").labelNames("result").register(registry);
        pluginOutcomes = Counter.builder().name("parrhesia_write_policy_plugin_total")
                .help("Write-policy plugin decisions: accept, reject, shadow_reject, failed (timeout, crash)")
                .labelNames("result").register(registry);
        connectionsRefused = Counter.builder().name("parrhesia_connections_refused_total")
                .help("WebSocket upgrades refused, by reason: blocked (IP), rate-limited (new connections per IP)")
                .labelNames("reason").register(registry);
        requestsApplied = Counter.builder().name("parrhesia_removal_requests_total")
                .help("Requests applied that remove events, by NIP: nip09 (kind 5 deletion), nip62 (kind 62 vanish)")
                .labelNames("nip").register(registry);
        eventsRemoved = Counter.builder().name("parrhesia_events_removed_total")
                .help("Stored events removed by those requests, by NIP: nip09, nip62").labelNames("nip").register(registry);
        counts = Counter.builder().name("parrhesia_counts_total")
                .help("COUNT requests answered (NIP-45), by whether a HyperLogLog was returned").labelNames("hll")
                .register(registry);
        countTime = Histogram.builder().name("parrhesia_count_seconds").help("Time to answer one COUNT")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5).register(registry);
        membershipChanges = Counter.builder().name("parrhesia_membership_changes_total")
                .help("NIP-43 relay membership changes, by cause: join (invite claimed), leave, add, remove (operator)")
                .labelNames("change").register(registry);
        invitesIssued = Counter.builder().name("parrhesia_invites_issued_total")
                .help("NIP-43 invite codes handed out (kind 28935 claims)").register(registry);
    }

    /** An EVENT refused by a policy stage. */
    public void policyRejected(String stage) {
        policyRejections.labelValues(stage).inc();
    }

    /** A NIP-42 AUTH message answered. */
    public void auth(boolean accepted) {
        auths.labelValues(accepted ? "accepted" : "refused").inc();
    }

    /** A write-policy plugin outcome. */
    public void pluginOutcome(String result) {
        pluginOutcomes.labelValues(result).inc();
    }

    /** A WebSocket upgrade refused at the edge. */
    public void connectionRefused(String reason) {
        connectionsRefused.labelValues(reason).inc();
    }

    /** A deletion request (kind 5) or request to vanish (kind 62) was applied and removed {@code events}. */
    public void removed(int kind, int events) {
        String nip = kind == 62 ? "nip62" : "nip09";
        requestsApplied.labelValues(nip).inc();
        eventsRemoved.labelValues(nip).inc(events);
    }

    /** A COUNT was answered. */
    public void counted(boolean hll, long nanos) {
        counts.labelValues(String.valueOf(hll)).inc();
        countTime.observe(nanos / 1e9);
    }

    /** A NIP-43 membership change: join, leave, add, remove. */
    public void membershipChanged(String change) {
        membershipChanges.labelValues(change).inc();
    }

    public void inviteIssued() {
        invitesIssued.inc();
    }

    public void received() {
        received.inc();
    }

    public void accepted(String result) {
        accepted.labelValues(result).inc();
    }

    /** Counts a refusal by the machine prefix of its OK message. */
    public void rejected(String okMessage) {
        rejected.labelValues(prefix(okMessage)).inc();
    }

    public void connectionOpened() {
        connections.inc();
        connectionsOpened.inc();
    }

    public void connectionClosed() {
        connections.dec();
    }

    public void subscriptionOpened() {
        subscriptions.inc();
        reqs.inc();
    }

    public void subscriptionClosed() {
        subscriptions.dec();
    }

    /** A subscription the relay ended or refused, by the machine prefix of its CLOSED message. */
    public void reqClosed(String closedMessage) {
        closedReqs.labelValues(prefix(closedMessage)).inc();
    }

    public void okLatency(long nanos) {
        okLatency.observe(nanos / 1e9);
    }

    public void batch(int size) {
        batchSize.observe(size);
    }

    public void commit(long nanos) {
        commitTime.observe(nanos / 1e9);
    }

    public void slowConsumerClosed() {
        slowConsumerCloses.inc();
    }

    public void delivered(long n) {
        deliveries.inc(n);
    }

    public void notice() {
        notices.inc();
    }

    /** Writes every metric in the Prometheus text format. */
    public void writeText(OutputStream out) throws IOException {
        TEXT.write(out, registry.scrape());
    }

    /** The registry, for stages that register metrics of their own (admin API, background jobs). */
    public PrometheusRegistry registry() {
        return registry;
    }

    public String contentType() {
        return TEXT.getContentType();
    }

    private static String prefix(String message) {
        int c = message.indexOf(':');
        String p = c > 0 ? message.substring(0, c) : "";
        return PREFIXES.contains(p) ? p : "other";
    }
}
