package nostr.bench.relay;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size, lock-free latency histogram in nanoseconds, after HdrHistogram's log-linear
 * layout: values below 256 get a bucket each (exact); above, every power of two is split into
 * 128 equal sub-buckets, so a reported value is within 1/256 (0.4%) of a recorded one whatever
 * its magnitude. 7,300 counters cover 0 to {@code Long.MAX_VALUE} in 58 KB, and recording is one
 * atomic increment, so many client threads record into one histogram during a run.
 *
 * <p>Percentiles use the nearest-rank definition: the p-th percentile is the smallest recorded
 * value such that at least p% of all values are at or below it. The bucket's midpoint stands for
 * its values, clamped to the exact minimum and maximum seen.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;          // 128 sub-buckets per power of two
    private static final int EXACT = SUB * 2;              // values 0..255 are counted exactly
    private static final int BUCKETS = EXACT + (63 - SUB_BITS - 1) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);

    /** Records one value; negative values are refused (a clock going backwards is a bug worth seeing). */
    public void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("latency must not be negative, got " + nanos + " ns");
        }
        counts.incrementAndGet(index(nanos));
        total.incrementAndGet();
        sum.addAndGet(nanos);
        min.accumulateAndGet(nanos, Math::min);
        max.accumulateAndGet(nanos, Math::max);
    }

    /** Adds every value of {@code other} to this one. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            long c = other.counts.get(i);
            if (c != 0) {
                counts.addAndGet(i, c);
            }
        }
        total.addAndGet(other.total.get());
        sum.addAndGet(other.sum.get());
        min.accumulateAndGet(other.min.get(), Math::min);
        max.accumulateAndGet(other.max.get(), Math::max);
    }

    public long count() {
        return total.get();
    }

    /** Smallest recorded value; fails when nothing was recorded. */
    public long min() {
        requireValues();
        return min.get();
    }

    /** Largest recorded value; fails when nothing was recorded. */
    public long max() {
        requireValues();
        return max.get();
    }

    /** Arithmetic mean of the recorded values. */
    public double mean() {
        requireValues();
        return (double) sum.get() / total.get();
    }

    /**
     * The nearest-rank percentile, {@code 0 <= percentile <= 100}: 0 gives the minimum, 100 the
     * maximum. Fails when nothing was recorded.
     */
    public long percentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be between 0 and 100, got " + percentile);
        }
        requireValues();
        long n = total.get();
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
        if (rank >= n) {
            return max.get();
        }
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                long v = midpoint(i);
                return Math.max(min.get(), Math.min(max.get(), v));
            }
        }
        return max.get();
    }

    private void requireValues() {
        if (total.get() == 0) {
            throw new IllegalStateException("no latency was recorded");
        }
    }

    /** Bucket of a value: exact below 256, then 128 sub-buckets per power of two. */
    static int index(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);   // >= 8
        int shift = exponent - SUB_BITS;                     // >= 1
        int sub = (int) (v >>> shift);                       // 128..255
        return EXACT + (shift - 1) * SUB + (sub - SUB);
    }

    /** Lowest value that falls into bucket {@code i}. */
    static long lowest(int i) {
        if (i < EXACT) {
            return i;
        }
        int shift = (i - EXACT) / SUB + 1;
        long sub = SUB + (i - EXACT) % SUB;
        return sub << shift;
    }

    /** Highest value that falls into bucket {@code i}. */
    static long highest(int i) {
        if (i < EXACT) {
            return i;
        }
        int shift = (i - EXACT) / SUB + 1;
        long sub = SUB + (i - EXACT) % SUB;
        return ((sub + 1) << shift) - 1;
    }

    private static long midpoint(int i) {
        long lo = lowest(i);
        return lo + (highest(i) - lo) / 2;
    }
}
