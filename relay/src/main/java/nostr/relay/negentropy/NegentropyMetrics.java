package nostr.relay.negentropy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;

/** NIP-77 metrics, registered in the relay's registry: sessions, messages, refusals, the index. */
final class NegentropyMetrics {
    private static final Set<String> PREFIXES = Set.of("invalid", "blocked", "closed", "auth-required", "restricted",
            "error", "rate-limited", "unsupported");

    private final Counter opened;
    private final Counter messages;
    private final Counter errors;
    private final Gauge sessions;
    private final Histogram reply;

    NegentropyMetrics(PrometheusRegistry registry, NegentropyIndex index) {
        opened = Counter.builder().name("parrhesia_negentropy_sessions_opened_total")
                .help("NEG-OPENs answered with NEG-MSG, by source of the items (index or store)").labelNames("source")
                .register(registry);
        messages = Counter.builder().name("parrhesia_negentropy_messages_total")
                .help("NEG-MSGs answered").register(registry);
        errors = Counter.builder().name("parrhesia_negentropy_errors_total")
                .help("NEG-ERRs sent, by machine prefix").labelNames("reason").register(registry);
        sessions = Gauge.builder().name("parrhesia_negentropy_sessions").help("Open negentropy sessions").register(registry);
        reply = Histogram.builder().name("parrhesia_negentropy_reply_seconds")
                .help("Time to answer one NEG-OPEN (items included) or NEG-MSG")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
        if (index != null) {
            GaugeWithCallback.builder().name("parrhesia_negentropy_index_items")
                    .help("Events in the whole-store negentropy index").callback(cb -> cb.call(index.size())).register(registry);
            GaugeWithCallback.builder().name("parrhesia_negentropy_index_bytes")
                    .help("Approximate heap bytes of the whole-store negentropy index")
                    .callback(cb -> cb.call(index.bytes())).register(registry);
            GaugeWithCallback.builder().name("parrhesia_negentropy_index_ready")
                    .help("1 while the whole-store negentropy index serves sessions, else 0 (loading or switched off)")
                    .callback(cb -> cb.call(index.state() == NegentropyIndex.State.READY ? 1 : 0)).register(registry);
        }
    }

    void opened(boolean fromIndex, long nanos) {
        opened.labelValues(fromIndex ? "index" : "store").inc();
        reply.observe(nanos / 1e9);
    }

    void message(long nanos) {
        messages.inc();
        reply.observe(nanos / 1e9);
    }

    void error(String reason) {
        int colon = reason.indexOf(':');
        String prefix = colon > 0 ? reason.substring(0, colon) : "";
        errors.labelValues(PREFIXES.contains(prefix) ? prefix : "other").inc();
    }

    void sessionOpened() {
        sessions.inc();
    }

    void sessionClosed() {
        sessions.dec();
    }
}
