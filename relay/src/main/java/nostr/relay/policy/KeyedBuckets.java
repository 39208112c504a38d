package nostr.relay.policy;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TokenBucket} per key (client IP, author pubkey), shared by every connection.
 *
 * <p>Memory stays bounded: a bucket that has filled up again is equivalent to no bucket, so
 * {@link #prune} drops those (the relay calls it every minute), and when the map passes
 * {@code maxKeys} it is pruned at once; if that is not enough (a flood from very many
 * addresses) arbitrary buckets are dropped, which only ever makes the limit more lenient.
 */
public final class KeyedBuckets {
    private final int rate;
    private final int burst;
    private final int maxKeys;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param rate tokens per second per key
     * @param burst bucket size
     * @param maxKeys buckets kept before pruning early
     */
    public KeyedBuckets(int rate, int burst, int maxKeys) {
        if (rate <= 0 || burst <= 0 || maxKeys <= 0) {
            throw new IllegalArgumentException("rate, burst and maxKeys must be positive");
        }
        this.rate = rate;
        this.burst = burst;
        this.maxKeys = maxKeys;
    }

    public int rate() {
        return rate;
    }

    /** Takes a token from {@code key}'s bucket. */
    public boolean tryTake(String key, long nowNanos) {
        return bucket(key, nowNanos).tryTake(nowNanos);
    }

    /** True when {@code key}'s bucket has a token (none is taken; an unknown key has a full bucket). */
    public boolean hasToken(String key, long nowNanos) {
        TokenBucket b = buckets.get(key);
        return b == null || b.hasToken(nowNanos);
    }

    /** Drops buckets that are full again; returns how many. */
    public int prune(long nowNanos) {
        int n = 0;
        for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (it.next().isFull(nowNanos)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    /** Buckets held. */
    public int size() {
        return buckets.size();
    }

    private TokenBucket bucket(String key, long nowNanos) {
        TokenBucket b = buckets.get(key);
        if (b != null) {
            return b;
        }
        if (buckets.size() >= maxKeys) {
            prune(nowNanos);
            Iterator<String> it = buckets.keySet().iterator();
            for (int drop = buckets.size() - maxKeys * 9 / 10; drop > 0 && it.hasNext(); drop--) {
                it.next();
                it.remove();
            }
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(rate, burst, nowNanos));
    }
}
