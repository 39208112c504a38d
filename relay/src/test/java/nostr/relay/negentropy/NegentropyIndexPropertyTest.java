package nostr.relay.negentropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import nostr.core.negentropy.Bound;
import nostr.core.negentropy.Negentropy;
import nostr.core.negentropy.NegentropyArrayStorage;
import nostr.core.negentropy.NegentropyStorage;
import nostr.relay.store.EventStore;
import org.junit.jupiter.api.Test;

/**
 * The whole-store index against a model: after random batches of stores and removals (ties,
 * shared id prefixes, re-adds, removals of absent items, batches large enough to split chunks and
 * removals enough to join them), every position, range fingerprint and lower bound of the index
 * equals that of core's {@link NegentropyArrayStorage} over the same items (negentropy protocol v1:
 * "Fingerprint Algorithm", sorting in "Preparation"). Ranges and merges too.
 */
class NegentropyIndexPropertyTest {

    /** A model item; ids as bytes, compared unsigned. */
    private record Item(long ts, byte[] id) implements Comparable<Item> {
        @Override
        public int compareTo(Item o) {
            int c = Long.compareUnsigned(ts, o.ts);
            return c != 0 ? c : Arrays.compareUnsigned(id, o.id);
        }

        String key() {
            return ts + ":" + java.util.HexFormat.of().formatHex(id);
        }
    }

    private static byte[] randomId(Random r) {
        byte[] id = new byte[32];
        r.nextBytes(id);
        // Few distinct first bytes: many ids share prefixes, so bounds need long prefixes.
        id[0] = (byte) r.nextInt(3);
        id[1] = (byte) r.nextInt(2);
        return id;
    }

    private static NegentropyArrayStorage reference(TreeMap<String, Item> model) {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        model.values().stream().sorted().forEach(i -> b.add(i.ts(), i.id()));
        return b.seal();
    }

    private static NegentropyIndex readyIndex() throws Exception {
        NegentropyIndex index = new NegentropyIndex(Set.of(1059), 1_000_000);
        index.rebuild(sink -> { });
        return index;
    }

    @Property(tries = 40)
    void nip77IndexEqualsSortedArrayAfterRandomChanges(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int rounds) throws Exception {
        Random r = new Random(seed);
        NegentropyIndex index = readyIndex();
        TreeMap<String, Item> model = new TreeMap<>();
        List<Item> known = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            int batch = r.nextInt(4) == 0 ? 1500 + r.nextInt(3000) : 1 + r.nextInt(200);
            List<EventStore.Change> changes = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                boolean remove = !known.isEmpty() && r.nextInt(100) < (round % 2 == 1 ? 70 : 25);
                if (remove) {
                    Item it = r.nextInt(10) == 0 ? new Item(r.nextInt(50), randomId(r)) : known.get(r.nextInt(known.size()));
                    changes.add(new EventStore.Change.Removed(it.ts(), it.id().clone()));
                    model.remove(it.key());
                } else {
                    Item it = !known.isEmpty() && r.nextInt(10) == 0 ? known.get(r.nextInt(known.size()))
                            : new Item(r.nextInt(50), randomId(r));
                    boolean excluded = r.nextInt(20) == 0;
                    changes.add(new EventStore.Change.Stored(it.ts(), it.id().clone(), excluded ? 1059 : 1, 0));
                    if (!excluded) {
                        model.put(it.key(), it);
                        known.add(it);
                    }
                }
            }
            index.committed(changes);
            compare(index.snapshot(0), reference(model), r);
        }
    }

    private static void compare(SummedItems actual, NegentropyStorage expected, Random r) {
        assertNotNull(actual);
        assertEquals(expected.size(), actual.size());
        int n = expected.size();
        byte[] a = new byte[32];
        byte[] e = new byte[32];
        for (int i = 0; i < n; i++) {
            assertEquals(expected.timestamp(i), actual.timestamp(i), "timestamp " + i);
            expected.copyId(i, e, 0);
            actual.copyId(i, a, 0);
            assertArrayEquals(e, a, "id " + i);
        }
        for (int k = 0; k < 200; k++) {
            int begin = r.nextInt(n + 1);
            int end = begin + r.nextInt(n - begin + 1);
            assertArrayEquals(expected.fingerprint(begin, end), actual.fingerprint(begin, end), "fingerprint " + begin + ".." + end);
            byte[] prefix = new byte[r.nextInt(4)];
            r.nextBytes(prefix);
            if (prefix.length > 0) {
                prefix[0] = (byte) r.nextInt(3);
            }
            Bound b = Bound.of(r.nextInt(52), prefix);
            assertEquals(expected.findLowerBound(begin, end, b), actual.findLowerBound(begin, end, b), "lower bound " + b);
        }
    }

    @Property(tries = 30)
    void nip77RangesAndMergedExtrasEqualTheirSortedArrays(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        NegentropyIndex index = readyIndex();
        List<EventStore.Change> changes = new ArrayList<>();
        TreeMap<String, Item> all = new TreeMap<>();
        for (int i = 0; i < 3000 + r.nextInt(3000); i++) {
            Item it = new Item(r.nextInt(400), randomId(r));
            changes.add(new EventStore.Change.Stored(it.ts(), it.id(), 1, 0));
            all.put(it.key(), it);
        }
        index.committed(changes);
        long since = r.nextInt(400);
        long until = since + r.nextInt(200);
        TreeMap<String, Item> inRange = new TreeMap<>();
        all.values().stream().filter(i -> i.ts() >= since && i.ts() <= until).forEach(i -> inRange.put(i.key(), i));
        SummedItems range = ItemRange.of(index.snapshot(0), since, until);
        compare(range, reference(inRange), r);

        // Extras: items of a kind the index leaves out, seen by this reader only.
        TreeMap<String, Item> extras = new TreeMap<>();
        for (int i = 0; i < r.nextInt(60); i++) {
            Item it = new Item(since + r.nextInt((int) (until - since + 1)), randomId(r));
            extras.put(it.key(), it);
        }
        List<Item> sorted = extras.values().stream().sorted().toList();
        long[] ts = new long[sorted.size()];
        byte[] ids = new byte[32 * sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            ts[i] = sorted.get(i).ts();
            System.arraycopy(sorted.get(i).id(), 0, ids, 32 * i, 32);
        }
        TreeMap<String, Item> union = new TreeMap<>(inRange);
        union.putAll(extras);
        compare(MergedItems.of(range, new ItemRun(ts, ids, sorted.size())), reference(union), r);
    }

    @Property(tries = 10)
    void nip77ServerRepliesFromTheIndexAreByteIdenticalToTheArrayStorage(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        NegentropyIndex index = readyIndex();
        List<EventStore.Change> changes = new ArrayList<>();
        TreeMap<String, Item> server = new TreeMap<>();
        NegentropyArrayStorage.Builder client = NegentropyArrayStorage.builder();
        for (int i = 0; i < 20_000; i++) {
            Item it = new Item(1_700_000_000L + r.nextInt(5000), randomId(r));
            int side = r.nextInt(100);
            if (side < 95 || side >= 98) {
                changes.add(new EventStore.Change.Stored(it.ts(), it.id(), 1, 0));
                server.put(it.key(), it);
            }
            if (side < 98) {
                client.add(it.ts(), it.id());
            }
        }
        index.committed(changes);
        Negentropy c = new Negentropy(client.seal(), 0);
        NegentropyStorage ref = reference(server);
        byte[] msg = c.initiate();
        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        for (int round = 0; msg != null; round++) {
            byte[] fromIndex = new Negentropy(index.snapshot(0), 50_000).reconcile(msg);
            byte[] fromArray = new Negentropy(ref, 50_000).reconcile(msg);
            assertArrayEquals(fromArray, fromIndex, "round " + round);
            msg = c.reconcile(fromIndex, have, need);
        }
    }

    @Test
    void nip40ExpiredItemsLeaveTheIndexWhenTheyExpire() throws Exception {
        NegentropyIndex index = readyIndex();
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        b[31] = 1;
        index.committed(List.of(new EventStore.Change.Stored(10, a, 1, 100), new EventStore.Change.Stored(11, b, 1, 0)));
        assertEquals(2, index.snapshot(99).size());
        assertEquals(1, index.snapshot(100).size());
        byte[] left = new byte[32];
        index.snapshot(100).copyId(0, left, 0);
        assertArrayEquals(b, left);
    }

    @Test
    void nip77IndexSwitchesItselfOffAboveItsCapAndBackOnWhenARebuildFits() throws Exception {
        NegentropyIndex index = new NegentropyIndex(Set.of(), 3);
        index.rebuild(sink -> { });
        List<EventStore.Change> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(new EventStore.Change.Stored(i, new byte[32], 1, 0));
            ((EventStore.Change.Stored) four.getLast()).id()[0] = (byte) i;
        }
        index.committed(four.subList(0, 3));
        assertEquals(NegentropyIndex.State.READY, index.state());
        index.committed(four.subList(3, 4));
        assertEquals(NegentropyIndex.State.DISABLED, index.state());
        assertNull(index.snapshot(0));
        assertEquals(2, index.rebuild(sink -> {
            sink.accept(1, new byte[32], 1, 0);
            byte[] id = new byte[32];
            id[0] = 9;
            sink.accept(2, id, 1, 0);
        }));
        assertEquals(NegentropyIndex.State.READY, index.state());
        assertEquals(-1, index.rebuild(sink -> {
            for (int i = 0; i < 5; i++) {
                byte[] id = new byte[32];
                id[0] = (byte) i;
                sink.accept(i, id, 1, 0);
            }
        }));
        assertEquals(NegentropyIndex.State.DISABLED, index.state());
    }
}
