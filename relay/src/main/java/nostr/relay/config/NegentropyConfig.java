package nostr.relay.config;

import java.time.Duration;
import nostr.core.negentropy.Negentropy;

/**
 * NIP-77 negentropy syncing: whether it is on, what one connection may hold, and the whole-store
 * index that makes large reconciliations cheap.
 *
 * @param enabled answer NEG-OPEN ({@code negentropy_enabled}); off, every NEG-* gets NEG-ERR and
 *     NIP-11 does not list 77
 * @param maxSessions open negentropy sessions per connection ({@code max_neg_sessions})
 * @param maxItems most events a session read from the store may hold ({@code max_neg_items});
 *     larger sets get {@code NEG-ERR "blocked: ..."}. Sessions served by the index are not capped.
 * @param frameSizeLimit largest negentropy message the relay sends, in bytes before hex
 *     ({@code neg_frame_size_limit}, at least 4096)
 * @param idleTimeout a session without a message for this long is closed with
 *     {@code NEG-ERR "closed: ..."} ({@code neg_idle_timeout_seconds})
 * @param indexMaxItems most events the in-memory whole-store index holds
 *     ({@code neg_index_max_items}); 0 turns the index off
 * @param indexRebuildInterval how often the index re-reads the store in the background
 *     ({@code neg_index_rebuild_interval_seconds}); zero: only at start
 */
public record NegentropyConfig(boolean enabled, int maxSessions, int maxItems, int frameSizeLimit, Duration idleTimeout,
                               long indexMaxItems, Duration indexRebuildInterval) {

    public NegentropyConfig {
        if (maxSessions <= 0) {
            throw new IllegalArgumentException("max_neg_sessions must be positive, got " + maxSessions);
        }
        if (maxItems <= 0) {
            throw new IllegalArgumentException("max_neg_items must be positive, got " + maxItems);
        }
        if (frameSizeLimit < Negentropy.MIN_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("neg_frame_size_limit must be at least " + Negentropy.MIN_FRAME_SIZE_LIMIT
                    + ", got " + frameSizeLimit);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("neg_idle_timeout_seconds must be positive, got " + idleTimeout.toSeconds());
        }
        if (indexMaxItems < 0) {
            throw new IllegalArgumentException("neg_index_max_items must not be negative, got " + indexMaxItems);
        }
        if (indexRebuildInterval.isNegative()) {
            throw new IllegalArgumentException("neg_index_rebuild_interval_seconds must not be negative, got "
                    + indexRebuildInterval.toSeconds());
        }
    }

    /** On; 10 sessions per connection; 500,000 items read from the store; 128 KiB frames; 60 s idle; an index of up to 2M events, rebuilt every 10 minutes. */
    public static NegentropyConfig defaults() {
        return new NegentropyConfig(true, 10, 500_000, 131_072, Duration.ofSeconds(60), 2_000_000, Duration.ofMinutes(10));
    }

    /** True when the whole-store index is kept. */
    public boolean indexEnabled() {
        return enabled && indexMaxItems > 0;
    }

    public NegentropyConfig withIndexRebuildInterval(Duration interval) {
        return new NegentropyConfig(enabled, maxSessions, maxItems, frameSizeLimit, idleTimeout, indexMaxItems, interval);
    }

    public NegentropyConfig withEnabled(boolean on) {
        return new NegentropyConfig(on, maxSessions, maxItems, frameSizeLimit, idleTimeout, indexMaxItems, indexRebuildInterval);
    }
}
