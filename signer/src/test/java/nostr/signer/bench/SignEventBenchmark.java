package nostr.signer.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import nostr.core.keys.SecretKey;
import nostr.signer.cli.SignerClient;
import nostr.signer.testing.SignerHarness;

/**
 * Hand-run benchmark (not a test): SignEvent round trips over D-Bus for an auto-approved kind. A
 * private dbus-daemon with gnome-keyring, the daemon in this JVM (rate limits off, kind 1
 * auto-approved), clients on their own bus connections. Prints p50/p99 latency of sequential calls
 * and the signs per second of {@code threads} concurrent clients. See signer/README.md for the command.
 *
 * <p>Arguments: [sequential calls, default 5000] [concurrent clients, default 4] [seconds, default 10].
 */
public final class SignEventBenchmark {
    private SignEventBenchmark() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path dir = Files.createTempDirectory("signer-bench");
        try (SignerHarness h = SignerHarness.start(dir, SignerHarness.Options.keyring()
                .set("auto-approve-kinds", "1").set("lock-timeout-sec", "0"))) {
            h.client.signer().StoreKey(SecretKey.generate().toHex(), "bench");
            String json = "{\"kind\":1,\"created_at\":1706054400,\"tags\":[[\"t\",\"bench\"]],\"content\":\"benchmark note\"}";
            for (int i = 0; i < 2000; i++) {
                h.client.signer().SignEvent(json, "", "bench");
            }
            long[] lat = new long[calls];
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                h.client.signer().SignEvent(json, "", "bench");
                lat[i] = System.nanoTime() - t0;
            }
            long total = System.nanoTime() - start;
            Arrays.sort(lat);
            System.out.printf("sequential: %d calls, p50 %.3f ms, p99 %.3f ms, max %.3f ms, %.0f signs/s%n", calls,
                    lat[calls / 2] / 1e6, lat[(int) (calls * 0.99)] / 1e6, lat[calls - 1] / 1e6, calls / (total / 1e9));

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong done = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            List<SignerClient> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SignerClient c = SignerClient.connect(h.bus.address());
                clients.add(c);
                workers.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        c.signer().SignEvent(json, "", "bench");
                        done.incrementAndGet();
                    }
                }));
            }
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
            long elapsed = System.nanoTime() - t0;
            clients.forEach(SignerClient::close);
            System.out.printf("concurrent: %d clients for %d s, %.0f signs/s%n", threads, seconds, done.get() / (elapsed / 1e9));
        }
    }
}
