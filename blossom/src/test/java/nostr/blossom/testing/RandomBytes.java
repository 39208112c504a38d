package nostr.blossom.testing;

import java.util.SplittableRandom;

/** Reproducible pseudo-random test bodies. */
public final class RandomBytes {
    private RandomBytes() {}

    /** {@code n} bytes drawn from a generator seeded with {@code seed}: the same seed, the same bytes. */
    public static byte[] of(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }
}
