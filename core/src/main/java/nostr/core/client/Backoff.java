package nostr.core.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RelayClient} waits between reconnection attempts: exponential growth from
 * {@code initialDelay} by {@code multiplier} per failed attempt, capped at {@code maxDelay}, with
 * "jitter" taking a random part off each delay so many clients that lost the same relay do not
 * come back in lockstep. Attempt {@code n} (from 0) waits
 * {@code min(maxDelay, initialDelay * multiplier^n) * (1 - jitter * r)} for a uniform random
 * {@code r} in [0, 1): never more than {@code maxDelay}, never less than {@code (1 - jitter)} of
 * the un-jittered delay.
 *
 * @param initialDelay the delay before the first attempt (positive)
 * @param maxDelay the cap on any delay (at least {@code initialDelay})
 * @param multiplier growth per attempt (at least 1)
 * @param jitter fraction of each delay that is randomized, in [0, 1]
 * @param maxAttempts attempts before giving up; 0 disables reconnection
 */
public record Backoff(Duration initialDelay, Duration maxDelay, double multiplier, double jitter, int maxAttempts) {

    public Backoff {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is below initialDelay " + initialDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must not be negative, was " + maxAttempts);
        }
    }

    /** 0.5 s doubling up to 30 s, half of each delay jittered, retrying without limit. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.5, Integer.MAX_VALUE);
    }

    /** No reconnection: a lost connection fails everything pending at once. */
    public static Backoff none() {
        return new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, 0.0, 0);
    }

    /**
     * The wait before attempt {@code attempt} (0-based).
     *
     * @param random a uniform value in [0, 1) that picks the jitter
     */
    Duration delay(int attempt, double random) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
        }
        double capMillis = maxDelay.toMillis();
        // Math.pow overflows to infinity for large attempts; min() then picks the cap.
        double base = Math.min(capMillis, initialDelay.toMillis() * Math.pow(multiplier, attempt));
        double r = Math.min(Math.max(random, 0.0), Math.nextDown(1.0));
        return Duration.ofMillis(Math.round(base * (1.0 - jitter * r)));
    }
}
