package nostr.core.negentropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Negentropy micro benchmark (not part of the suite): two sets of {@code items} items that differ
 * in {@code diffs} ids (half only on the client, half only on the server), reconciled in-process
 * (messages passed directly, no network), with and without a frame size limit. Reports the time to
 * build (seal) a storage from unsorted and from already sorted input, and per reconciliation the
 * wall time, rounds and bytes each way (best and median of the iterations after a warm-up).
 *
 * <p>Run: {@code java -Xmx4g -cp core/target/classes:core/target/test-classes nostr.core.negentropy.NegentropyBenchMain [items] [diffs] [iterations]}
 */
public final class NegentropyBenchMain {
    private NegentropyBenchMain() {}

    public static void main(String[] args) {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int diffs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        System.out.printf("negentropy bench: %,d vs %,d items, %,d differences, %d iterations, %s%n", items, items, diffs,
                iterations, Runtime.version());

        SplittableRandom rnd = new SplittableRandom(42);
        long base = 1_600_000_000L;
        int common = items - diffs / 2;
        long[] ts = new long[items + diffs / 2];
        byte[] ids = new byte[ts.length * 32];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = base + rnd.nextInt(31_536_000); // a year of created_at values, some shared
        }
        rnd.nextBytes(ids);

        long t0 = System.nanoTime();
        NegentropyArrayStorage client = build(ts, ids, 0, common, common, items);
        long sealUnsorted = System.nanoTime() - t0;
        NegentropyArrayStorage server = build(ts, ids, 0, common, items, items + diffs / 2);
        t0 = System.nanoTime();
        NegentropyArrayStorage.Builder sorted = NegentropyArrayStorage.builder();
        byte[] id = new byte[32];
        for (int i = 0; i < server.size(); i++) {
            server.copyId(i, id, 0);
            sorted.add(server.timestamp(i), id);
        }
        sorted.seal();
        long sealSorted = System.nanoTime() - t0;
        System.out.printf("storage: add+seal %,d unsorted items %.0f ms; add+seal %,d sorted items %.0f ms%n", client.size(),
                sealUnsorted / 1e6, server.size(), sealSorted / 1e6);

        for (long limit : new long[] {0, 500_000, 60_000}) {
            run(client, server, diffs, limit, iterations);
        }
    }

    private static NegentropyArrayStorage build(long[] ts, byte[] ids, int from1, int to1, int from2, int to2) {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        byte[] id = new byte[32];
        for (int[] r : new int[][] {{from1, to1}, {from2, to2}}) {
            for (int i = r[0]; i < r[1]; i++) {
                System.arraycopy(ids, i * 32, id, 0, 32);
                b.add(ts[i], id);
            }
        }
        return b.seal();
    }

    private static void run(NegentropyStorage clientItems, NegentropyStorage serverItems, int diffs, long limit, int iterations) {
        long[] times = new long[iterations];
        int rounds = 0;
        long up = 0;
        long down = 0;
        for (int it = -2; it < iterations; it++) { // two warm-up runs
            long t0 = System.nanoTime();
            Negentropy client = new Negentropy(clientItems, limit);
            Negentropy server = new Negentropy(serverItems, limit);
            List<byte[]> have = new ArrayList<>();
            List<byte[]> need = new ArrayList<>();
            rounds = 0;
            up = 0;
            down = 0;
            byte[] msg = client.initiate();
            while (msg != null) {
                up += msg.length;
                byte[] reply = server.reconcile(msg);
                down += reply.length;
                msg = client.reconcile(reply, have, need);
                rounds++;
            }
            long took = System.nanoTime() - t0;
            if (have.size() != diffs / 2 || need.size() != diffs / 2) {
                throw new AssertionError("found " + have.size() + " have and " + need.size() + " need, expected " + diffs / 2 + " each");
            }
            if (it >= 0) {
                times[it] = took;
            }
        }
        Arrays.sort(times);
        System.out.printf("reconcile, frame size limit %s: best %.1f ms, median %.1f ms; %d rounds, %,d bytes up, %,d bytes down%n",
                limit == 0 ? "none" : String.format("%,d", limit), times[0] / 1e6, times[iterations / 2] / 1e6, rounds, up, down);
    }
}
