package nostr.core.negentropy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import nostr.core.Hex;

/**
 * The long negentropy fuzz run (not part of the suite): mutated and random messages against
 * clients and servers for a given time, reporting cases per second, accepted/refused counts, the
 * kinds of refusal, the slowest case, and every finding (an exception other than
 * {@link NegentropyException}, a broken invariant of {@link FuzzTarget}, or a case over 5 s, which a
 * watchdog reports and then stops the run).
 *
 * <p>Run: {@code java -cp core/target/classes:core/target/test-classes nostr.core.negentropy.NegentropyFuzzMain [seconds] [seed]}
 */
public final class NegentropyFuzzMain {
    private NegentropyFuzzMain() {}

    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 600;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        System.out.println("negentropy fuzz: " + seconds + " s, seed " + seed);
        List<NegentropyStorage> storages = MessageMutator.storages();
        MessageMutator mutator = new MessageMutator(MessageMutator.validCorpus());
        long[] limits = {0, 4096, 60_000};
        SplittableRandom rnd = new SplittableRandom(seed);

        AtomicLong caseStart = new AtomicLong(System.nanoTime());
        byte[][] current = new byte[1][];
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                long running = System.nanoTime() - caseStart.get();
                if (running > 5_000_000_000L) {
                    byte[] m = current[0];
                    System.out.println("FINDING: case running for " + running / 1_000_000 + " ms: " + (m == null ? "?" : Hex.encode(m)));
                    System.exit(3);
                }
            }
        });

        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        long cases = 0;
        long accepted = 0;
        long findings = 0;
        long slowest = 0;
        String slowestCase = "";
        long bytes = 0;
        Map<String, Long> reasons = new TreeMap<>();
        long nextReport = start + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (int batch = 0; batch < 256; batch++) {
                byte[] message = mutator.next(rnd);
                NegentropyStorage storage = storages.get(rnd.nextInt(storages.size()));
                boolean asClient = rnd.nextBoolean();
                long limit = limits[rnd.nextInt(limits.length)];
                current[0] = message;
                long t0 = System.nanoTime();
                caseStart.set(t0);
                try {
                    FuzzTarget.Outcome o = FuzzTarget.play(message, storage, asClient, limit);
                    if (o.accepted()) {
                        accepted++;
                    } else {
                        reasons.merge(FuzzTarget.kind(o.reason()), 1L, Long::sum);
                    }
                } catch (Throwable t) {
                    findings++;
                    System.out.println("FINDING: " + t + " for " + (asClient ? "client" : "server") + " limit " + limit
                            + " storage " + storage.size() + " message " + Hex.encode(message));
                    t.printStackTrace(System.out);
                }
                long took = System.nanoTime() - t0;
                if (took > slowest) {
                    slowest = took;
                    slowestCase = (asClient ? "client" : "server") + ", limit " + limit + ", " + storage.size() + " items, "
                            + message.length + " bytes: " + Hex.encode(message);
                }
                cases++;
                bytes += message.length;
            }
            long now = System.nanoTime();
            if (now > nextReport) {
                System.out.printf("  %d s: %d cases (%.0f/s), %d accepted, %d findings%n", (now - start) / 1_000_000_000L, cases,
                        cases / ((now - start) / 1e9), accepted, findings);
                nextReport += 60_000_000_000L;
            }
        }
        watchdog.interrupt();
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("cases: %d in %.1f s = %.0f cases/s (mean message %d bytes)%n", cases, secs, cases / secs, bytes / Math.max(1, cases));
        System.out.printf("accepted: %d, refused: %d, findings: %d%n", accepted, cases - accepted - findings, findings);
        System.out.printf("slowest case: %.2f ms (%s)%n", slowest / 1e6,
                slowestCase.length() > 300 ? slowestCase.substring(0, 300) + "..." : slowestCase);
        System.out.println("refusals by kind:");
        reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf("  %9d  %s%n", e.getValue(), e.getKey()));
        System.exit(findings == 0 ? 0 : 1);
    }
}
