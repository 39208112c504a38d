package nostr.core.negentropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Malformed negentropy messages for fuzzing: valid messages captured from real reconciliations,
 * then mutated the way message-format fuzzers do (bit flips, byte overwrites with boundary values,
 * truncation, splicing two messages, inserting, deleting and duplicating chunks), plus purely
 * random bytes behind a plausible version byte.
 */
final class MessageMutator {
    private static final byte[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x20, 0x21, 0x60, 0x61, 0x62, 0x6f, 0x70, 0x7f,
            (byte) 0x80, (byte) 0x81, (byte) 0xff};

    private final List<byte[]> corpus;

    MessageMutator(List<byte[]> corpus) {
        this.corpus = List.copyOf(corpus);
    }

    /**
     * Valid messages of both directions from reconciliations of a few set shapes (empty, small,
     * mixed, limited), usable against the storages of {@link #storages}.
     */
    static List<byte[]> validCorpus() {
        List<byte[]> out = new ArrayList<>();
        long seed = 100;
        int[][] shapes = {{0, 1, 1, 1}, {20, 1, 1, 1}, {300, 1, 1, 5}, {3000, 1, 1, 10}, {3000, 0, 1, 0}, {3000, 1, 0, 0}};
        for (int[] s : shapes) {
            for (long limit : new long[] {0, 4096}) {
                ItemSets sets = ItemSets.random(seed++, s[0], s[1], s[2], s[3]);
                out.addAll(trace(ItemSets.storage(sets.side1()), ItemSets.storage(sets.side2()), limit));
            }
        }
        ItemSets clustered = ItemSets.clustered(seed, 60, 50, 1, 1, 2);
        out.addAll(trace(ItemSets.storage(clustered.side1()), ItemSets.storage(clustered.side2()), 0));
        return out;
    }

    /** Every message of a reconciliation, client and server. */
    static List<byte[]> trace(NegentropyStorage client, NegentropyStorage server, long limit) {
        List<byte[]> out = new ArrayList<>();
        Negentropy c = new Negentropy(client, limit);
        Negentropy s = new Negentropy(server, limit);
        byte[] msg = c.initiate();
        while (msg != null) {
            out.add(msg);
            byte[] reply = s.reconcile(msg);
            out.add(reply);
            msg = c.reconcile(reply, new ArrayList<>(), new ArrayList<>());
        }
        return out;
    }

    /** Storages the fuzzed messages are played against: empty, tiny, and a few thousand items. */
    static List<NegentropyStorage> storages() {
        ItemSets sets = ItemSets.random(7, 3000, 1, 1, 10);
        ItemSets tiny = ItemSets.random(8, 40, 1, 1, 1);
        return List.of(NegentropyArrayStorage.empty(), ItemSets.storage(tiny.side1()), ItemSets.storage(sets.side1()),
                ItemSets.storage(sets.side2()));
    }

    /** One fuzz case: a mutated corpus message or random bytes. */
    byte[] next(SplittableRandom rnd) {
        if (rnd.nextInt(10) == 0) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            if (b.length > 0 && rnd.nextBoolean()) {
                b[0] = 0x61;
            }
            return b;
        }
        byte[] m = corpus.get(rnd.nextInt(corpus.size()));
        int mutations = 1 + rnd.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            m = mutate(m, rnd);
        }
        return m;
    }

    private byte[] mutate(byte[] m, SplittableRandom rnd) {
        int n = m.length;
        switch (rnd.nextInt(8)) {
            case 0 -> { // bit flip
                if (n == 0) {
                    return m;
                }
                byte[] c = m.clone();
                c[rnd.nextInt(n)] ^= (byte) (1 << rnd.nextInt(8));
                return c;
            }
            case 1 -> { // boundary byte
                if (n == 0) {
                    return m;
                }
                byte[] c = m.clone();
                c[rnd.nextInt(n)] = INTERESTING[rnd.nextInt(INTERESTING.length)];
                return c;
            }
            case 2 -> { // truncate
                return Arrays.copyOf(m, n == 0 ? 0 : rnd.nextInt(n));
            }
            case 3 -> { // splice with another message
                byte[] o = corpus.get(rnd.nextInt(corpus.size()));
                int a = n == 0 ? 0 : rnd.nextInt(n + 1);
                int b = o.length == 0 ? 0 : rnd.nextInt(o.length + 1);
                byte[] c = Arrays.copyOf(m, a + (o.length - b));
                System.arraycopy(o, b, c, a, o.length - b);
                return c;
            }
            case 4 -> { // insert random bytes (often a varint continuation run)
                int at = rnd.nextInt(n + 1);
                byte[] ins = new byte[1 + rnd.nextInt(12)];
                if (rnd.nextBoolean()) {
                    Arrays.fill(ins, (byte) 0xff);
                } else {
                    rnd.nextBytes(ins);
                }
                byte[] c = new byte[n + ins.length];
                System.arraycopy(m, 0, c, 0, at);
                System.arraycopy(ins, 0, c, at, ins.length);
                System.arraycopy(m, at, c, at + ins.length, n - at);
                return c;
            }
            case 5 -> { // delete a chunk
                if (n == 0) {
                    return m;
                }
                int at = rnd.nextInt(n);
                int len = 1 + rnd.nextInt(Math.min(40, n - at));
                byte[] c = new byte[n - len];
                System.arraycopy(m, 0, c, 0, at);
                System.arraycopy(m, at + len, c, at, n - at - len);
                return c;
            }
            case 6 -> { // duplicate a chunk (repeated ranges)
                if (n < 2) {
                    return m;
                }
                int at = 1 + rnd.nextInt(n - 1);
                int len = 1 + rnd.nextInt(Math.min(60, n - at));
                int times = 1 + rnd.nextInt(50);
                byte[] c = new byte[n + len * times];
                System.arraycopy(m, 0, c, 0, at + len);
                for (int t = 0; t < times; t++) {
                    System.arraycopy(m, at, c, at + len * (t + 1), len);
                }
                System.arraycopy(m, at + len, c, at + len * (times + 1), n - at - len);
                return c;
            }
            default -> { // huge varint somewhere (id list counts, prefix lengths, timestamps)
                int at = n == 0 ? 0 : 1 + rnd.nextInt(Math.max(1, n - 1));
                at = Math.min(at, n);
                byte[] v = new byte[Varint.MAX_BYTES];
                int len = Varint.write(rnd.nextLong(), v, 0);
                byte[] c = new byte[n + len];
                System.arraycopy(m, 0, c, 0, at);
                System.arraycopy(v, 0, c, at, len);
                System.arraycopy(m, at, c, at + len, n - at);
                return c;
            }
        }
    }
}
