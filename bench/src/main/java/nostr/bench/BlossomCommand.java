package nostr.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import nostr.bench.blossom.Curl;
import nostr.bench.blossom.FreshPages;
import nostr.bench.blossom.HeapWatch;
import nostr.bench.blossom.StageProbe;
import nostr.bench.blossom.StepStats;
import nostr.bench.relay.HostStats;
import nostr.bench.relay.ResultLine;
import nostr.blossom.auth.AuthVerb;
import nostr.blossom.auth.BlossomAuth;
import nostr.blossom.blob.Sha256;
import nostr.blossom.client.BlossomClient;
import nostr.core.event.EventSigner;
import nostr.core.keys.SecretKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench blossom --url http://127.0.0.1:7777 --size 1g}: upload and download throughput of
 * one large blob against a running Blossom server (parrhesia), next to {@code cp} and
 * {@code cp} + {@code sync} of the same file on the same disk, with the server's heap read from
 * its {@code /metrics} while the transfers run.
 *
 * <p>Each run times, in this order: {@code cp}; {@code cp} + {@code sync}; {@code dd bs=1M} (a
 * copy whose bytes pass through a process, as every network transfer's do, where {@code cp}
 * copies inside the kernel with {@code copy_file_range}); the client's SHA-256 pass; an upload
 * with the Java client (hash known, {@code PUT /upload}: the server hashes while it writes); a
 * download with it ({@code GET}, hashed while written, moved into place when it matches); then,
 * when curl is there, the same upload and download with curl (which hashes nothing: the server
 * alone); with {@code --reference-url}, an upload (plain {@code PUT}) and downloads with curl and
 * the Java client against a static server such as nginx with {@code sendfile} (a yardstick for
 * what any HTTP transfer costs on the machine). Before every step that writes a file,
 * {@link FreshPages} evens out the page-cache conditions. The summary compares medians; the human
 * table goes to stderr and one JSON line to stdout.
 */
@Command(name = "blossom", description = "Blossom upload/download throughput of one large blob vs cp, with server heap.")
public final class BlossomCommand implements Callable<Integer> {
    static final String CP = "cp";
    static final String CP_SYNC = "cp + sync";
    static final String HASH = "client SHA-256 pass";
    static final String UP_JAVA = "upload, Java client (hash known)";
    static final String DOWN_JAVA = "download, Java client (verified)";
    static final String UP_CURL = "upload, curl";
    static final String DOWN_CURL = "download, curl (into a file)";
    static final String DD = "copy through a process (dd bs=1M)";
    static final String REF_UP_CURL = "reference server: upload, curl";
    static final String REF_DOWN_CURL = "reference server: download, curl";
    static final String REF_DOWN_JAVA = "reference server: download, Java client";

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

    @Option(names = "--pid", defaultValue = "0", description = "the server's process id: its CPU time per step is read from /proc")
    long pid;

    @Option(names = "--server-fsync", description = "whether the server fsyncs uploads (true/false): picks the fair baseline "
            + "(cp + sync or cp) for the upload ratio; both are printed when not given")
    Boolean serverFsync;

    @Option(names = "--curl", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also time curl as the client (default: when curl is installed)")
    boolean curl;

    @Option(names = "--stages", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also time the stages alone: SHA-256, file read, file write, fsync, loopback TCP (default on)")
    boolean stages;

    @Option(names = "--even-pages", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "write and delete a ballast file before each writing step (see FreshPages; default on)")
    boolean evenPages;

    @Option(names = "--direct-writes-from", defaultValue = "" + BlossomClient.DEFAULT_DIRECT_WRITES_FROM,
            description = "the Java client writes downloads of at least this many bytes with O_DIRECT; 0 never "
                    + "(default ${DEFAULT-VALUE}; the server's side is its blossom_direct_io_min)")
    long directWritesFrom;

    @Option(names = "--reference-url", description = "a static HTTP server to time next to the Blossom server "
            + "(bench/scripts/nginx-reference.sh starts nginx with sendfile): curl and the Java client download the "
            + "same file from it, curl uploads it with a plain PUT; needs --reference-root")
    URI referenceUrl;

    @Option(names = "--reference-root", description = "the reference server's document root: the test file is linked "
            + "there as <sha256> for the runs, and PUTs land under <root>/upload/")
    Path referenceRoot;

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        long bytes = parseSize(size);
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
        }
        boolean withReference = referenceUrl != null;
        if (withReference != (referenceRoot != null)) {
            throw new IllegalArgumentException("--reference-url and --reference-root go together");
        }
        if (withReference && !Files.isDirectory(referenceRoot)) {
            throw new IllegalArgumentException("--reference-root is not a directory: " + referenceRoot);
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("blob-" + bytes + ".bin");
        if (!Files.isRegularFile(file) || Files.size(file) != bytes) {
            log.printf("writing %s (%s) ...%n", file, human(bytes));
            writeRandom(file, bytes);
        }
        boolean withCurl = curl && Curl.available();
        if (curl && !withCurl) {
            log.println("curl is not installed: its rows are skipped");
        }
        if (withReference && !withCurl) {
            throw new IllegalArgumentException("--reference-url needs curl");
        }
        double[] loadStart = HostStats.loadAverage();
        Instant started = Instant.now();
        long self = ProcessHandle.current().pid();
        Path copy = dir.resolve("copy.bin");
        Path back = dir.resolve("download.bin");
        FreshPages pages = new FreshPages(file, dir.resolve("ballast.bin"), evenPages);
        Map<String, StepStats> steps = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(List.of(CP, CP_SYNC, DD, HASH, UP_JAVA, DOWN_JAVA));
        if (withCurl) {
            names.addAll(List.of(UP_CURL, DOWN_CURL));
        }
        if (withReference) {
            names.addAll(List.of(REF_UP_CURL, REF_DOWN_CURL, REF_DOWN_JAVA));
        }
        for (String s : names) {
            steps.put(s, new StepStats(s));
        }
        Map<String, StepStats> stageStats = new LinkedHashMap<>();
        URI metricsUrl = metrics != null ? metrics : URI.create(url + "/metrics");
        EventSigner signer = EventSigner.of(SecretKey.generate());
        Path served = null;
        Path uploads = null;
        String fileHash = null;
        if (withReference) {
            fileHash = Sha256.of(file);
            served = referenceRoot.resolve(fileHash);
            uploads = referenceRoot.resolve("upload");
            Files.createDirectories(uploads);
            Files.deleteIfExists(served);
            try {
                Files.createLink(served, file);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(file, served); // another file system: a copy serves as well
            }
        }
        try (HeapWatch heap = new HeapWatch(metricsUrl); BlossomClient client = BlossomClient.create(signer).directWritesFrom(directWritesFrom)) {
            long heapBefore = heap.available() ? heap.read() : -1;
            log.printf("server heap before: %s%n", heap.available() ? human(heapBefore) : "n/a (no /metrics)");
            for (int r = 0; r < runs; r++) {
                log.printf(Locale.ROOT, "run %d of %d (load %s)%n", r + 1, runs, load());
                Files.deleteIfExists(copy);
                pages.prepare();
                time(steps.get(CP), self, () -> run("cp", file.toString(), copy.toString()));
                Files.deleteIfExists(copy);
                pages.prepare();
                time(steps.get(CP_SYNC), self, () -> run("sh", "-c", "cp \"$0\" \"$1\" && sync \"$1\"", file.toString(), copy.toString()));
                Files.deleteIfExists(copy);
                pages.prepare();
                time(steps.get(DD), self, () -> run("dd", "if=" + file, "of=" + copy, "bs=1M", "status=none"));
                Files.deleteIfExists(copy);
                String[] sha = new String[1];
                time(steps.get(HASH), self, () -> sha[0] = Sha256.of(file));
                heap.start();
                pages.prepare();
                time(steps.get(UP_JAVA), self, () -> client.upload(url, file, sha[0], "application/octet-stream"));
                Files.deleteIfExists(back);
                pages.prepare();
                time(steps.get(DOWN_JAVA), self, () -> client.download(url, sha[0], back));
                requireSize(back, bytes);
                Files.deleteIfExists(back);
                client.delete(url, sha[0]);
                if (withCurl) {
                    String token = BlossomAuth.header(signer, AuthVerb.UPLOAD, List.of(sha[0]), url.getHost(), Duration.ofMinutes(30));
                    pages.prepare();
                    time(steps.get(UP_CURL), self, () -> expectUploaded(Curl.upload(url, file, sha[0], token)));
                    pages.prepare();
                    time(steps.get(DOWN_CURL), self, () -> expect(200, Curl.download(url, sha[0], back), "curl download"));
                    requireSize(back, bytes);
                    Files.deleteIfExists(back);
                    client.delete(url, sha[0]);
                }
                heap.stop();
                if (withReference) {
                    Path put = uploads.resolve("put-" + r + ".bin");
                    Files.deleteIfExists(put);
                    pages.prepare();
                    time(steps.get(REF_UP_CURL), self, () -> expectPut(Curl.put(URI.create(referenceUrl + "/upload/" + put.getFileName()), file)));
                    requireSize(put, bytes);
                    Files.delete(put);
                    URI ref = URI.create(referenceUrl + "/" + fileHash);
                    pages.prepare();
                    time(steps.get(REF_DOWN_CURL), self, () -> expect(200, Curl.get(ref, back), "curl download from the reference server"));
                    requireSize(back, bytes);
                    Files.deleteIfExists(back);
                    String h = fileHash;
                    pages.prepare();
                    time(steps.get(REF_DOWN_JAVA), self, () -> client.download(referenceUrl, h, back));
                    requireSize(back, bytes);
                    Files.deleteIfExists(back);
                }
                if (stages) {
                    probeStages(stageStats, file, copy, bytes, pages);
                }
            }
            double[] loadEnd = HostStats.loadAverage();
            ResultLine line = new ResultLine()
                    .put("bench", "blossom")
                    .put("url", url.toString())
                    .put("started", started.toString())
                    .put("bytes", bytes)
                    .put("runs", runs)
                    .put("cores", Runtime.getRuntime().availableProcessors())
                    .put("load_start", loadStart)
                    .put("load_end", loadEnd)
                    .put("even_pages", evenPages)
                    .put("server_fsync", serverFsync)
                    .put("client_direct_writes_from", directWritesFrom);
            if (withReference) {
                line.put("reference_url", referenceUrl.toString());
            }
            Map<String, Object> stepJson = new LinkedHashMap<>();
            steps.forEach((k, v) -> stepJson.put(k, v.toJson(bytes)));
            line.put("steps", stepJson);
            Map<String, Object> ratios = ratios(steps);
            line.put("ratios", ratios);
            if (!stageStats.isEmpty()) {
                Map<String, Object> stageJson = new LinkedHashMap<>();
                stageStats.forEach((k, v) -> stageJson.put(k, v.toJson(bytes)));
                line.put("stages", stageJson);
            }
            if (heap.available()) {
                line.put("server_heap_mib", Map.of("before", mib(heapBefore), "min", mib(heap.min()), "max", mib(heap.max()),
                        "samples", heap.samples(), "after", mib(heap.read())));
            }
            printSummary(log, bytes, steps, stageStats, ratios, heap, loadStart, loadEnd);
            System.out.println(line);
        } finally {
            if (served != null) {
                Files.deleteIfExists(served);
            }
        }
        return 0;
    }

    private void probeStages(Map<String, StepStats> out, Path file, Path scratch, long bytes, FreshPages pages) throws Exception {
        add(out, "stage: SHA-256 (in memory)", StageProbe.sha256(bytes));
        add(out, "stage: file read (page cache)", StageProbe.fileRead(file));
        pages.prepare();
        add(out, "stage: file write (page cache)", StageProbe.fileWrite(scratch, bytes));
        add(out, "stage: fdatasync of that write", StageProbe.fsync(scratch));
        Files.deleteIfExists(scratch);
        double direct = StageProbe.directWrite(scratch, bytes);
        if (direct >= 0) {
            add(out, "stage: file write (O_DIRECT) + fdatasync", direct);
        }
        Files.deleteIfExists(scratch);
        add(out, "stage: loopback TCP", StageProbe.loopback(bytes));
    }

    private static void add(Map<String, StepStats> out, String name, double seconds) {
        out.computeIfAbsent(name, StepStats::new).add(seconds, -1, -1);
    }

    /** Throughput ratios of medians (baseline time / step time: above 1 means faster than the baseline). */
    private Map<String, Object> ratios(Map<String, StepStats> steps) {
        Map<String, Object> m = new LinkedHashMap<>();
        double cp = steps.get(CP).median();
        double cpSync = steps.get(CP_SYNC).median();
        for (String up : List.of(UP_JAVA, UP_CURL)) {
            StepStats s = steps.get(up);
            if (s != null) {
                m.put(up + " / cp", StepStats.round(cp / s.median()));
                m.put(up + " / (cp + sync)", StepStats.round(cpSync / s.median()));
            }
        }
        for (String other : List.of(DD, DOWN_JAVA, DOWN_CURL, REF_UP_CURL, REF_DOWN_CURL, REF_DOWN_JAVA)) {
            StepStats s = steps.get(other);
            if (s != null) {
                m.put(other + " / cp", StepStats.round(cp / s.median()));
            }
        }
        return m;
    }

    private void printSummary(PrintStream log, long bytes, Map<String, StepStats> steps, Map<String, StepStats> stageStats,
                              Map<String, Object> ratios, HeapWatch heap, double[] loadStart, double[] loadEnd) {
        log.printf(Locale.ROOT, "%n%s, %d runs, load average %s at start, %s at end%n", human(bytes), runs,
                fmt(loadStart), fmt(loadEnd));
        log.printf(Locale.ROOT, "%-36s %8s %8s %8s %8s %10s %10s%n", "step", "median s", "min s", "max s", "MB/s",
                "server CPU", "client CPU");
        List<StepStats> all = new ArrayList<>(steps.values());
        all.addAll(stageStats.values());
        for (StepStats s : all) {
            log.printf(Locale.ROOT, "%-36s %8.2f %8.2f %8.2f %8.0f %10s %10s%n", s.name(), s.median(), s.min(), s.max(),
                    s.megabytesPerSecond(bytes), cpu(s.serverCpu()), cpu(s.clientCpu()));
        }
        log.println();
        ratios.forEach((k, v) -> log.printf(Locale.ROOT, "%-50s %6.2fx%n", k, (Double) v));
        if (serverFsync != null) {
            log.printf("the server %s: compare uploads with %s%n", serverFsync ? "fsyncs uploads" : "does not fsync uploads",
                    serverFsync ? "cp + sync" : "cp");
        }
        if (heap.available()) {
            log.printf("server heap during transfers: %s to %s (%d samples)%n", human(heap.min()), human(heap.max()),
                    heap.samples());
        }
    }

    private static String cpu(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f s", v);
    }

    interface Step {
        void run() throws Exception;
    }

    private void time(StepStats stats, long self, Step s) throws Exception {
        double server0 = pid > 0 ? HostStats.cpuSeconds(pid) : -1;
        double client0 = HostStats.cpuSeconds(self);
        long t0 = System.nanoTime();
        s.run();
        double wall = (System.nanoTime() - t0) / 1e9;
        double server = server0 >= 0 ? HostStats.cpuSeconds(pid) - server0 : -1;
        double client = client0 >= 0 ? HostStats.cpuSeconds(self) - client0 : -1;
        stats.add(wall, server, client);
    }

    /** 201 for a new blob, 200 when another key still owns it (the server stores and hashes the body either way). */
    private static void expectUploaded(int status) throws IOException {
        if (status != 201 && status != 200) {
            throw new IOException("curl upload answered " + status + ", expected 201 or 200");
        }
    }

    /** A WebDAV-style PUT answers 201 (created) or 204 (replaced). */
    private static void expectPut(int status) throws IOException {
        if (status != 201 && status != 204) {
            throw new IOException("curl PUT to the reference server answered " + status + ", expected 201 or 204");
        }
    }

    private static void expect(int want, int got, String what) throws IOException {
        if (got != want) {
            throw new IOException(what + " answered " + got + ", expected " + want);
        }
    }

    private static void requireSize(Path p, long bytes) throws IOException {
        if (!Files.isRegularFile(p) || Files.size(p) != bytes) {
            throw new IOException("download came back with the wrong size: " + p);
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue());
        }
    }

    private static String load() {
        return fmt(HostStats.loadAverage());
    }

    private static String fmt(double[] load) {
        return load.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f %.2f %.2f", load[0], load[1], load[2]);
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        SplittableRandom rnd = new SplittableRandom(new SecureRandom().nextLong());
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long left = bytes;
            while (left > 0) {
                rnd.nextBytes(buf);
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

    private static double mib(long b) {
        return Math.round(b / 1048576.0 * 10) / 10.0;
    }
}
