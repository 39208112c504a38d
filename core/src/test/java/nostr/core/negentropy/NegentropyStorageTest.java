package nostr.core.negentropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import nostr.core.Hex;
import org.junit.jupiter.api.Test;

/**
 * Negentropy protocol v1 (NIP-77 appendix: "Preparation" item order, "Bound" comparison,
 * "Fingerprint Algorithm"): the array storage sorts and seals like the reference Vector storage,
 * its prefix-sum fingerprints and binary searches agree with naive computations, the interface's
 * default methods (for other storages) agree with it, and IdSum is 256-bit modular arithmetic.
 */
class NegentropyStorageTest {

    record Item(long timestamp, byte[] id) {}

    static List<Item> randomItems(SplittableRandom rnd, int n, boolean fewTimestamps) {
        List<Item> items = new ArrayList<>();
        // Storage refuses duplicate items, and ids truncated to a short random prefix can repeat:
        // keep drawing until each (timestamp, id) is new.
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (items.size() < n) {
            byte[] id = new byte[32];
            rnd.nextBytes(id);
            if (rnd.nextInt(4) == 0) {
                Arrays.fill(id, 1 + rnd.nextInt(31), 32, (byte) 0); // ids that equal padded prefixes
            }
            long ts = fewTimestamps ? rnd.nextInt(4) : rnd.nextLong() & Long.MAX_VALUE;
            if (rnd.nextInt(10) == 0) {
                ts = -2L - rnd.nextInt(3); // above 2^63: must sort as unsigned
            }
            if (seen.add(Long.toUnsignedString(ts) + ":" + Hex.encode(id))) {
                items.add(new Item(ts, id));
            }
        }
        return items;
    }

    static NegentropyArrayStorage seal(List<Item> items) {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        items.forEach(i -> b.add(i.timestamp(), i.id()));
        return b.seal();
    }

    static final Comparator<Item> ORDER = (a, b) -> {
        int c = Long.compareUnsigned(a.timestamp(), b.timestamp());
        return c != 0 ? c : Arrays.compareUnsigned(a.id(), b.id());
    };

    @Property(tries = 200)
    void nip77SealSortsByUnsignedTimestampThenIdBytes(@ForAll long seed, @ForAll @IntRange(max = 300) int n, @ForAll boolean fewTimestamps) {
        List<Item> items = randomItems(new SplittableRandom(seed), n, fewTimestamps);
        NegentropyArrayStorage storage = seal(items);
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(ORDER);
        assertEquals(n, storage.size());
        byte[] id = new byte[32];
        for (int i = 0; i < n; i++) {
            assertEquals(sorted.get(i).timestamp(), storage.timestamp(i));
            storage.copyId(i, id, 0);
            assertArrayEquals(sorted.get(i).id(), id);
            assertEquals(Hex.encode(id), storage.idHex(i));
        }
    }

    @Property(tries = 200)
    void nip77RangeFingerprintsEqualTheNaiveDefinition(@ForAll long seed, @ForAll @IntRange(max = 200) int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        NegentropyArrayStorage storage = seal(randomItems(rnd, n, false));
        NegentropyStorage plain = new PlainStorage(storage);
        for (int k = 0; k < 20; k++) {
            int a = rnd.nextInt(n + 1);
            int b = rnd.nextInt(n + 1);
            int begin = Math.min(a, b);
            int end = Math.max(a, b);
            List<byte[]> ids = new ArrayList<>();
            for (int i = begin; i < end; i++) {
                byte[] id = new byte[32];
                storage.copyId(i, id, 0);
                ids.add(id);
            }
            byte[] expected = ReferenceMath.fingerprint(ids);
            assertArrayEquals(expected, storage.fingerprint(begin, end), "prefix sums, range " + begin + ".." + end);
            assertArrayEquals(expected, plain.fingerprint(begin, end), "interface default, range " + begin + ".." + end);
        }
    }

    @Property(tries = 200)
    void nip77FindLowerBoundIsTheFirstItemNotBelowTheBound(@ForAll long seed, @ForAll @IntRange(max = 200) int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Item> items = randomItems(rnd, n, true);
        NegentropyArrayStorage storage = seal(items);
        NegentropyStorage plain = new PlainStorage(storage);
        byte[] id = new byte[32];
        for (int k = 0; k < 30; k++) {
            Bound bound;
            if (n > 0 && rnd.nextBoolean()) {
                int at = rnd.nextInt(n);
                storage.copyId(at, id, 0);
                bound = Bound.of(storage.timestamp(at), Arrays.copyOf(id, rnd.nextInt(33)));
            } else {
                byte[] prefix = new byte[rnd.nextInt(33)];
                rnd.nextBytes(prefix);
                bound = Bound.of(rnd.nextInt(5), prefix);
            }
            int begin = n == 0 ? 0 : rnd.nextInt(n + 1);
            int expected = begin;
            while (expected < n && below(storage, expected, bound)) {
                expected++;
            }
            assertEquals(expected, storage.findLowerBound(begin, n, bound), bound + " from " + begin);
            assertEquals(expected, plain.findLowerBound(begin, n, bound), bound + " from " + begin + " (default)");
        }
        assertEquals(n, storage.findLowerBound(0, n, Bound.INFINITY));
        assertEquals(0, storage.findLowerBound(0, n, Bound.ZERO));
    }

    // Item strictly below the bound, comparing the zero-padded prefix byte by byte (protocol text).
    private static boolean below(NegentropyStorage s, int index, Bound bound) {
        int c = Long.compareUnsigned(s.timestamp(index), bound.timestamp());
        if (c != 0) {
            return c < 0;
        }
        byte[] id = new byte[32];
        s.copyId(index, id, 0);
        byte[] padded = Arrays.copyOf(bound.idPrefix(), 32);
        return Arrays.compareUnsigned(id, padded) < 0;
    }

    @Test
    void nip77DuplicateItemsAreRefusedAtSeal() {
        byte[] id = NegentropyTest.id(7);
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder().add(5, id).add(6, NegentropyTest.id(8)).add(5, id);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::seal);
        assertEquals("duplicate item: timestamp 5, id " + Hex.encode(id), e.getMessage());
        // the same id at another timestamp is a different item
        assertEquals(2, NegentropyArrayStorage.builder().add(5, id).add(6, id).seal().size());
    }

    @Test
    void nip77InfinityTimestampAndBadIdsAreRefused() {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.add(-1L, NegentropyTest.id(1))).getMessage()
                .contains("reserved for infinity"));
        assertThrows(IllegalArgumentException.class, () -> b.add(1, new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> b.add(1, "AB".repeat(32)));
        b.add(-2L, NegentropyTest.id(1)); // 2^64-2 is a legal timestamp
        assertEquals(1, b.seal().size());
    }

    @Test
    void nip77StorageSealsOnce() {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder().add(1, NegentropyTest.id(1));
        b.seal();
        assertThrows(IllegalStateException.class, b::seal);
        assertThrows(IllegalStateException.class, () -> b.add(2, NegentropyTest.id(2)));
    }

    @Test
    void nip77StorageChecksIndexesAndRanges() {
        NegentropyArrayStorage s = NegentropyTest.sequential(1, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> s.timestamp(3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.copyId(-1, new byte[32], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> s.fingerprint(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.findLowerBound(0, 4, Bound.ZERO));
    }

    @Property(tries = 300)
    void nip77IdSumIsAdditionModulo2To256(@ForAll long seed, @ForAll @IntRange(max = 40) int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        IdSum sum = new IdSum();
        BigInteger expected = BigInteger.ZERO;
        BigInteger mod = BigInteger.ONE.shiftLeft(256);
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[32];
            if (rnd.nextInt(3) == 0) {
                Arrays.fill(id, (byte) 0xff); // carries through every limb
            } else {
                rnd.nextBytes(id);
            }
            if (rnd.nextBoolean()) {
                sum.add(id);
                expected = expected.add(ReferenceMath.littleEndian(id)).mod(mod);
            } else {
                sum.subtract(id, 0);
                expected = expected.subtract(ReferenceMath.littleEndian(id)).mod(mod);
            }
        }
        assertArrayEquals(ReferenceMath.toLittleEndian32(expected), sum.toBytes());
        IdSum copy = sum.copy().add(sum).subtract(sum);
        assertArrayEquals(sum.toBytes(), copy.toBytes());
    }

    @Test
    void nip77FingerprintOfNothingIsHashOfZeroSumAndZeroCount() {
        assertArrayEquals(ReferenceMath.fingerprint(List.of()), new IdSum().fingerprint(0));
        assertArrayEquals(ReferenceMath.fingerprint(List.of()), NegentropyArrayStorage.empty().fingerprint(0, 0));
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xff);
        byte[] one = new byte[32];
        one[0] = 1;
        // 2^256-1 + 1 wraps to 0, but the count (2) still differs from the empty set's
        assertArrayEquals(new byte[32], new IdSum().add(ones).add(one).toBytes());
        assertArrayEquals(ReferenceMath.fingerprint(List.of(ones, one)), new IdSum().add(ones).add(one).fingerprint(2));
        assertThrows(IllegalArgumentException.class, () -> new IdSum().add(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> new IdSum().add(new byte[40], 9));
    }

    /** A storage that implements only the three required methods, like a minimal relay adapter. */
    record PlainStorage(NegentropyStorage inner) implements NegentropyStorage {
        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public long timestamp(int index) {
            return inner.timestamp(index);
        }

        @Override
        public void copyId(int index, byte[] dest, int offset) {
            inner.copyId(index, dest, offset);
        }
    }
}
