package nostr.bench.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Percentile math of the log-linear histogram against exact nearest-rank percentiles of sorted samples. */
class LatencyHistogramTest {

    /** Nearest rank on a sorted array: the smallest value with at least p% of values at or below it. */
    private static long exactPercentile(long[] sorted, double p) {
        int rank = (int) Math.max(1, Math.ceil(p / 100.0 * sorted.length));
        return sorted[Math.min(sorted.length, rank) - 1];
    }

    @Test
    void smallValuesAreCountedExactly() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(50, h.percentile(50));
        assertEquals(95, h.percentile(95));
        assertEquals(99, h.percentile(99));
        assertEquals(1, h.percentile(0));
        assertEquals(100, h.percentile(100));
        assertEquals(50.5, h.mean(), 1e-9);
        assertEquals(100, h.count());
    }

    @Test
    void percentilesOfLogNormalLatenciesAreWithinHalfAPercentOfTheExactOnes() {
        SplittableRandom rng = new SplittableRandom(42);
        long[] values = new long[200_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            // Median ~1 ms, long tail up to seconds: what OK latencies look like.
            long v = (long) Math.exp(Math.log(1_000_000) + 1.5 * gaussian(rng));
            values[i] = v;
            h.record(v);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 10, 50, 90, 95, 99, 99.9, 99.99}) {
            long exact = exactPercentile(values, p);
            long got = h.percentile(p);
            assertTrue(Math.abs(got - exact) <= exact / 256.0 + 1,
                    "p" + p + ": histogram " + got + " vs exact " + exact);
        }
        assertEquals(values[0], h.min());
        assertEquals(values[values.length - 1], h.max());
        assertEquals(values[values.length - 1], h.percentile(100));
        double mean = Arrays.stream(values).average().orElseThrow();
        assertEquals(mean, h.mean(), mean * 1e-9);
    }

    @Test
    void everyValueFallsInsideItsBucketAndBucketsTileTheRange() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long v = rng.nextLong(Long.MAX_VALUE) >>> rng.nextInt(63);
            int b = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.lowest(b) <= v && v <= LatencyHistogram.highest(b), "value " + v + " bucket " + b);
        }
        for (int b = 0; b < LatencyHistogram.index(Long.MAX_VALUE); b++) {
            assertEquals(LatencyHistogram.highest(b) + 1, LatencyHistogram.lowest(b + 1), "gap after bucket " + b);
        }
        assertEquals(Long.MAX_VALUE, LatencyHistogram.highest(LatencyHistogram.index(Long.MAX_VALUE)));
    }

    @Test
    void mergingHistogramsEqualsRecordingIntoOne() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        LatencyHistogram all = new LatencyHistogram();
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            long v = rng.nextLong(1, 50_000_000);
            (i % 3 == 0 ? a : b).record(v);
            all.record(v);
        }
        a.add(b);
        assertEquals(all.count(), a.count());
        assertEquals(all.min(), a.min());
        assertEquals(all.max(), a.max());
        for (double p : new double[] {50, 95, 99}) {
            assertEquals(all.percentile(p), a.percentile(p));
        }
    }

    @Test
    void concurrentRecordingLosesNothing() throws InterruptedException {
        LatencyHistogram h = new LatencyHistogram();
        Thread[] threads = IntStream.range(0, 8).mapToObj(t -> Thread.ofPlatform().unstarted(() -> {
            for (int i = 1; i <= 50_000; i++) {
                h.record(i);
            }
        })).toArray(Thread[]::new);
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(400_000, h.count());
        assertEquals(50_000, h.max());
        assertEquals(1, h.min());
    }

    @Test
    void emptyHistogramAndBadInputsAreRefusedWithAReason() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals("no latency was recorded", assertThrows(IllegalStateException.class, () -> h.percentile(50)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> h.record(-1)).getMessage().contains("negative"));
        h.record(5);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> h.percentile(101)).getMessage().contains("between 0 and 100"));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(Double.NaN));
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller: SplittableRandom has no nextGaussian.
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
