package nostr.core.negentropy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import nostr.core.Hex;

/**
 * Two item sets for a reconciliation, generated the way the reference project's fuzz driver does
 * (test/fuzz.pl): random 32-byte ids with timestamps near 1677970534, each item going to side 1
 * only, side 2 only, or both, with weights p1/p2/p3; or "clustered" runs of consecutive timestamps
 * whose items all go the same way. Deterministic for a seed.
 */
record ItemSets(List<Item> side1, List<Item> side2) {
    static final long BASE_TIMESTAMP = 1677970534L;

    /** An item: timestamp and id as lowercase hex. */
    record Item(long timestamp, String id) {
        String line() {
            return "item," + timestamp + "," + id;
        }
    }

    /** {@code count} items with timestamps in {@code [base, base + count)}. */
    static ItemSets random(long seed, int count, int p1, int p2, int p3) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ItemSets sets = new ItemSets(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < count; i++) {
            Item item = new Item(BASE_TIMESTAMP + rnd.nextInt(Math.max(count, 1)), randomId(rnd));
            sets.place(item, rnd, p1, p2, p3);
        }
        return sets;
    }

    /** Up to {@code segments} runs of 1..{@code perSegment} items with consecutive timestamps. */
    static ItemSets clustered(long seed, int segments, int perSegment, int p1, int p2, int p3) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ItemSets sets = new ItemSets(new ArrayList<>(), new ArrayList<>());
        long curr = 0;
        int runs = rnd.nextInt(segments);
        for (int s = 0; s < runs; s++) {
            int n = rnd.nextInt(perSegment) + 1;
            int side = pick(rnd, p1, p2, p3);
            for (int i = 0; i < n; i++) {
                Item item = new Item(BASE_TIMESTAMP + curr++, randomId(rnd));
                if (side != 2) {
                    sets.side1.add(item);
                }
                if (side != 1) {
                    sets.side2.add(item);
                }
            }
        }
        return sets;
    }

    private void place(Item item, SplittableRandom rnd, int p1, int p2, int p3) {
        int side = pick(rnd, p1, p2, p3);
        if (side != 2) {
            side1.add(item);
        }
        if (side != 1) {
            side2.add(item);
        }
    }

    // 1 = side 1 only, 2 = side 2 only, 3 = both.
    private static int pick(SplittableRandom rnd, int p1, int p2, int p3) {
        int r = rnd.nextInt(p1 + p2 + p3);
        return r < p1 ? 1 : r < p1 + p2 ? 2 : 3;
    }

    static String randomId(SplittableRandom rnd) {
        byte[] id = new byte[32];
        rnd.nextBytes(id);
        return Hex.encode(id);
    }

    static NegentropyArrayStorage storage(List<Item> items) {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        for (Item item : items) {
            b.add(item.timestamp(), item.id());
        }
        return b.seal();
    }
}
