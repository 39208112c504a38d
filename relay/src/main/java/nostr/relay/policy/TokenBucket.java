package nostr.relay.policy;

/**
 * A token bucket: {@code rate} tokens per second, at most {@code capacity} saved up, starting
 * full. Times are nanoseconds from any monotonic-enough source (the relay passes its clock, so
 * tests refill buckets by moving a clock instead of sleeping); time going backwards adds nothing.
 * Thread-safe: per-IP and per-pubkey buckets are shared by connections.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(int ratePerSecond, int capacity, long nowNanos) {
        if (ratePerSecond <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("rate and capacity must be positive, got " + ratePerSecond + " and " + capacity);
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** True when a token is there now (none is taken). */
    public synchronized boolean hasToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1;
    }

    /** True when the bucket is full again: forgetting it changes nothing. */
    public synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
            last = nowNanos;
        }
    }
}
