package nostr.relay.config;

import java.time.Duration;

/**
 * Sizes of the relay's internal stages: not visible to clients, but they decide throughput and
 * how much memory a burst can take.
 *
 * @param verifyThreads platform threads checking ids and BIP-340 signatures
 * @param writerQueue events waiting for the single writer before publishers are slowed down
 * @param writerBatch most events committed in one transaction
 * @param maxConcurrentQueries REQ stored phases reading the store at the same time
 * @param queryTimeBudget how long one REQ's stored phase may take before it is CLOSED
 * @param maxOutboundBytes bytes waiting to be sent to one connection before it is closed as a slow consumer
 * @param maxInflightEvents EVENTs of one connection between receipt and OK; more makes its reader wait
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param pingInterval connections quiet for this long are pinged (keeps NATs open, finds dead peers); zero for never
 */
public record Tuning(int verifyThreads, int writerQueue, int writerBatch, int maxConcurrentQueries,
                     Duration queryTimeBudget, long maxOutboundBytes, int maxInflightEvents,
                     Duration idleTimeout, Duration pingInterval) {

    public Tuning {
        positive("verify_threads", verifyThreads);
        positive("writer_queue", writerQueue);
        positive("writer_batch", writerBatch);
        positive("max_concurrent_queries", maxConcurrentQueries);
        positive("query_time_budget_ms", queryTimeBudget.toMillis());
        positive("max_outbound_bytes", maxOutboundBytes);
        positive("max_inflight_events", maxInflightEvents);
        positive("idle_timeout_seconds", idleTimeout.toSeconds());
        if (pingInterval.isNegative()) {
            throw new IllegalArgumentException("ping_interval_seconds must not be negative, got " + pingInterval.toSeconds());
        }
    }

    /** Defaults sized to this machine's cores. */
    public static Tuning defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new Tuning(cores, 16_384, 1024, Math.max(8, cores * 4), Duration.ofSeconds(5), 4L << 20, 1000,
                Duration.ofMinutes(10), Duration.ofSeconds(60));
    }

    private static void positive(String key, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
    }
}
