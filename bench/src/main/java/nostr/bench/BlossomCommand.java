package nostr.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nostr.blossom.blob.BlobDescriptor;
import nostr.blossom.blob.Sha256;
import nostr.blossom.client.BlossomClient;
import nostr.core.event.EventSigner;
import nostr.core.keys.SecretKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench blossom --url http://127.0.0.1:7777 --size 1g}: upload and download throughput of
 * one large blob against a running Blossom server (parrhesia), next to {@code cp} of the same file
 * on the same disk, with the server's heap read from its {@code /metrics} while the transfers run.
 *
 * <p>Steps: write a file of random bytes (kept between runs when its size matches), {@code cp} it,
 * hash it (the client's first pass), upload it with the hash known ({@code PUT /upload}: the
 * server hashes while it writes), download it ({@code GET}: the client hashes while it writes),
 * delete it. Each figure is wall time of that step alone; the page cache is warm for all of them.
 */
@Command(name = "blossom", description = "Blossom upload/download throughput of one large blob vs cp, with server heap.")
public final class BlossomCommand implements Callable<Integer> {
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"\\} ([0-9.eE+]+)$");

    @Option(names = "--url", required = true, description = "the Blossom server (e.g. http://127.0.0.1:7777)")
    URI url;

    @Option(names = "--size", defaultValue = "1g", description = "blob size: bytes, or with k/m/g (default 1g)")
    String size;

    @Option(names = "--dir", defaultValue = "data/bench-blossom", description = "where the test file and copies go")
    Path dir;

    @Option(names = "--runs", defaultValue = "3", description = "repetitions of each step (default 3)")
    int runs;

    @Option(names = "--metrics", description = "the server's Prometheus endpoint (default <url>/metrics)")
    URI metrics;

    @Override
    public Integer call() throws Exception {
        long bytes = parseSize(size);
        Files.createDirectories(dir);
        Path file = dir.resolve("blob-" + bytes + ".bin");
        if (!Files.isRegularFile(file) || Files.size(file) != bytes) {
            System.out.printf("writing %s (%s) ...%n", file, human(bytes));
            writeRandom(file, bytes);
        }
        URI metricsUrl = metrics != null ? metrics : URI.create(url + "/metrics");
        HeapWatch heap = new HeapWatch(metricsUrl);
        System.out.printf("server heap before: %s%n", heap.available() ? human(heap.read()) : "n/a (no /metrics)");
        Path copy = dir.resolve("copy.bin");
        Path back = dir.resolve("download.bin");
        double cp = 0;
        double cpSync = 0;
        double hash = 0;
        double up = 0;
        double down = 0;
        try (BlossomClient client = BlossomClient.create(EventSigner.of(SecretKey.generate()))) {
            for (int r = 0; r < runs; r++) {
                Files.deleteIfExists(copy);
                cp += time(() -> run("cp", file.toString(), copy.toString()));
                Files.deleteIfExists(copy);
                cpSync += time(() -> run("sh", "-c", "cp \"$0\" \"$1\" && sync \"$1\"", file.toString(), copy.toString()));
                Files.deleteIfExists(copy);
                String[] sha = new String[1];
                hash += time(() -> sha[0] = Sha256.of(file));
                BlobDescriptor[] d = new BlobDescriptor[1];
                heap.start();
                up += time(() -> d[0] = client.upload(url, file, sha[0], "application/octet-stream"));
                Files.deleteIfExists(back);
                down += time(() -> client.download(url, sha[0], back));
                heap.stop();
                if (!Files.isRegularFile(back) || Files.size(back) != bytes) {
                    throw new IllegalStateException("download came back with the wrong size");
                }
                client.delete(url, sha[0]);
                Files.deleteIfExists(back);
            }
        }
        double n = runs;
        System.out.printf(Locale.ROOT, "%-34s %10s %12s%n", "step (mean of " + runs + ")", "seconds", "MB/s");
        row("cp", cp / n, bytes);
        row("cp + sync", cpSync / n, bytes);
        row("client SHA-256 pass", hash / n, bytes);
        row("upload (PUT /upload, hash known)", up / n, bytes);
        row("download (GET, verified)", down / n, bytes);
        System.out.printf(Locale.ROOT, "upload / cp = %.2fx, download / cp = %.2fx, upload / (cp + sync) = %.2fx%n",
                (cp / up), (cp / down), (cpSync / up));
        if (heap.available()) {
            System.out.printf("server heap during transfers: max %s, samples %d%n", human(heap.max()), heap.samples());
            System.out.printf("server heap after: %s%n", human(heap.read()));
        }
        return 0;
    }

    private static void row(String what, double seconds, long bytes) {
        System.out.printf(Locale.ROOT, "%-34s %10.2f %12.0f%n", what, seconds, bytes / seconds / 1e6);
    }

    interface Step {
        void run() throws Exception;
    }

    private static double time(Step s) throws Exception {
        long t0 = System.nanoTime();
        s.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue());
        }
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        SecureRandom seedSource = new SecureRandom();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seedSource.nextLong());
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long left = bytes;
            while (left > 0) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = rnd.nextLong();
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    static long parseSize(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("k")) {
            mult = 1L << 10;
        } else if (t.endsWith("m")) {
            mult = 1L << 20;
        } else if (t.endsWith("g")) {
            mult = 1L << 30;
        }
        if (mult > 1) {
            t = t.substring(0, t.length() - 1);
        }
        long v = Long.parseLong(t) * mult;
        if (v < 1) {
            throw new IllegalArgumentException("--size must be at least 1 byte, got " + s);
        }
        return v;
    }

    static String human(double b) {
        return String.format(Locale.ROOT, "%.1f MiB", b / (1 << 20));
    }

    /** Samples the server's heap use (client_java's jvm_memory_used_bytes{area="heap"}) every 100 ms. */
    private static final class HeapWatch {
        private final URI metrics;
        private final HttpClient http = HttpClient.newHttpClient();
        private final AtomicLong max = new AtomicLong();
        private final AtomicLong samples = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread sampler;

        HeapWatch(URI metrics) {
            this.metrics = metrics;
        }

        boolean available() {
            try {
                read();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        long read() {
            try {
                String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = HEAP.matcher(text);
                if (!m.find()) {
                    throw new IllegalStateException("no jvm_memory_used_bytes{area=\"heap\"} at " + metrics);
                }
                return (long) Double.parseDouble(m.group(1));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void start() {
            if (!available()) {
                return;
            }
            running.set(true);
            sampler = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        max.accumulateAndGet(read(), Math::max);
                        samples.incrementAndGet();
                        Thread.sleep(100);
                    } catch (RuntimeException | InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (sampler != null) {
                sampler.join();
            }
        }

        long max() {
            return max.get();
        }

        long samples() {
            return samples.get();
        }
    }
}
