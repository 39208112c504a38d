package nostr.bench.relay;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import nostr.core.Hex;
import nostr.core.client.ClientOptions;
import nostr.core.client.ReconcileResult;
import nostr.core.client.RelayClient;
import nostr.core.filter.Filter;
import nostr.core.negentropy.NegentropyArrayStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench negentropy --url ws://127.0.0.1:7777}: a NIP-77 reconciliation of {@code --events}
 * against a relay holding the same number, {@code --differences} apart (half only on the relay,
 * half only on the client), through core's {@code RelayClient.reconcile} over the WebSocket. The
 * relay must hold exactly the pre-signed corpus of {@code bench relay} (same cache, same seed): the
 * command publishes what it lacks and refuses to measure if the relay holds other events too.
 * Reports the first (cold) and the median of {@code --runs} reconciliations, round trips, bytes
 * each way, and the relay's negentropy index size from {@code /metrics}. Human summary on stderr,
 * one JSON line on stdout. Exit 0 when every run found exactly the differences, 1 otherwise.
 */
@Command(name = "negentropy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time a NIP-77 reconciliation of N vs N events with D differences against a running relay.",
                "Human summary on stderr, one JSON line on stdout."})
public final class NegentropyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, description = "relay WebSocket URL, e.g. ws://127.0.0.1:7777")
    String url;

    @Option(names = "--events", defaultValue = "1000000", description = "events on each side (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--differences", defaultValue = "1000", description = "events on one side only, half each way (default: ${DEFAULT-VALUE})")
    int differences;

    @Option(names = "--runs", defaultValue = "5", description = "timed reconciliations (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--filter", defaultValue = "{}", description = "NIP-01 filter of the NEG-OPEN (default: every event, the relay's index)")
    String filterJson;

    @Option(names = "--frame-size-limit", defaultValue = "200000", description = "client frame size limit, bytes before hex (default: ${DEFAULT-VALUE})")
    long frameSizeLimit;

    @Option(names = "--seed", defaultValue = "1", description = "corpus seed, as for bench relay (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--cache-dir", description = "where pre-signed corpora are kept (default: the checkout's .cache/bench)")
    Path cacheDir;

    @Option(names = "--connections", defaultValue = "16", description = "publishing connections when the relay lacks the corpus (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--window", defaultValue = "64", description = "EVENTs in flight per publishing connection (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--timeout", defaultValue = "900", description = "seconds a fill or one reconciliation may take (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (events < 1 || differences < 0 || differences > events || runs < 1) {
            throw new ParameterException(spec.commandLine(), "need --events >= 1, 0 <= --differences <= --events, --runs >= 1");
        }
        URI uri = URI.create(url);
        Filter filter = Filter.parse(filterJson);
        Path cache = cacheDir != null ? cacheDir
                : Path.of(System.getProperty(RelayCommand.CACHE_PROPERTY, Path.of(".cache", "bench").toString()));
        PrintStream log = System.err;
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        ClientOptions options = ClientOptions.defaults().withRequestTimeout(timeout).withMaxMessageChars(64 * 1024 * 1024);
        EventCorpus corpus = EventCorpus.load(events, seed, cache, log);
        ResultLine r = new ResultLine().put("scenario", "negentropy").put("url", url).put("started", Instant.now().toString())
                .put("cores", Runtime.getRuntime().availableProcessors()).put("events", events)
                .put("differences", differences).put("filter", filterJson).put("client_frame_size_limit", frameSizeLimit);

        // The relay must hold the corpus and nothing else matching the filter.
        NegentropyArrayStorage whole = items(corpus, new boolean[corpus.size()], List.of());
        try (RelayClient c = RelayClient.connect(url, options)) {
            ReconcileResult check = c.reconcile(filter, whole, frameSizeLimit).get(timeoutSeconds, TimeUnit.SECONDS);
            if (!check.have().isEmpty()) {
                log.printf("negentropy: the relay lacks %,d corpus events; publishing them%n", check.have().size());
                Map<String, Integer> index = new HashMap<>();
                for (int i = 0; i < corpus.size(); i++) {
                    index.put(corpus.id(i), i);
                }
                int[] missing = check.have().stream().mapToInt(index::get).toArray();
                EventPublisher.Outcome fill = EventPublisher.publish(uri, k -> corpus.json(missing[k]), 0, missing.length,
                        connections, window, 0, timeout, null, "negentropy fill", log);
                log.printf("negentropy: fill: %,d stored in %.1f s%n", fill.stored(), fill.seconds());
                if (fill.failure() != null) {
                    log.println("negentropy: fill failed: " + fill.failure());
                    System.out.println(r.put("complete", false).put("failure", "fill: " + fill.failure()));
                    return 1;
                }
            }
            if (!check.need().isEmpty()) {
                String why = "the relay holds " + check.need().size() + " events matching the filter beyond the corpus; "
                        + "run against a relay holding only the corpus";
                log.println("negentropy: " + why);
                System.out.println(r.put("complete", false).put("failure", why));
                return 1;
            }
        }

        // The client's side: the corpus less D/2 of its events, plus D/2 events the relay never saw.
        SplittableRandom rng = new SplittableRandom(EventCorpus.mix(seed * 31 + events));
        boolean[] dropped = new boolean[corpus.size()];
        Set<String> expectNeed = new HashSet<>();
        while (expectNeed.size() < differences / 2) {
            int i = rng.nextInt(corpus.size());
            if (!dropped[i]) {
                dropped[i] = true;
                expectNeed.add(corpus.id(i));
            }
        }
        Set<String> expectHave = new HashSet<>();
        List<Object[]> extras = new ArrayList<>();
        byte[] id = new byte[32];
        while (extras.size() < differences - differences / 2) {
            rng.nextBytes(id);
            String hex = Hex.encode(id);
            if (expectHave.add(hex)) {
                extras.add(new Object[] {EventCorpus.BASE_CREATED_AT + rng.nextInt(Math.max(1, corpus.size())), hex});
            }
        }
        long buildStart = System.nanoTime();
        NegentropyArrayStorage mine = items(corpus, dropped, extras);
        double buildMs = (System.nanoTime() - buildStart) / 1e6;
        log.printf("negentropy: client set of %,d items built in %.0f ms (%,d only on the relay, %,d only here)%n",
                mine.size(), buildMs, expectNeed.size(), expectHave.size());

        List<Map<String, Object>> measured = new ArrayList<>();
        boolean exact = true;
        double[] millis = new double[runs];
        try (RelayClient c = RelayClient.connect(url, options)) {
            for (int run = 0; run < runs; run++) {
                long t0 = System.nanoTime();
                ReconcileResult res = c.reconcile(filter, mine, frameSizeLimit).get(timeoutSeconds, TimeUnit.SECONDS);
                millis[run] = (System.nanoTime() - t0) / 1e6;
                boolean ok = new HashSet<>(res.need()).equals(expectNeed) && new HashSet<>(res.have()).equals(expectHave);
                exact &= ok;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ms", Math.round(millis[run] * 10) / 10.0);
                m.put("rounds", res.rounds());
                m.put("bytes_up", res.bytesSent());
                m.put("bytes_down", res.bytesReceived());
                m.put("need", res.need().size());
                m.put("have", res.have().size());
                m.put("exact", ok);
                measured.add(m);
                log.printf("negentropy: run %d: %.1f ms, %d round trips, %,d bytes up, %,d down, need %,d, have %,d%s%n", run + 1,
                        millis[run], res.rounds(), res.bytesSent(), res.bytesReceived(), res.need().size(), res.have().size(),
                        ok ? "" : " (WRONG)");
            }
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        Map<String, Double> index = indexMetrics(uri);
        log.printf("negentropy: %,d vs %,d events, %,d differences: first %.1f ms, median of %d %.1f ms; relay index %s items, %s MiB%n",
                events, events, differences, millis[0], runs, median,
                index.containsKey("items") ? String.format("%,.0f", index.get("items")) : "?",
                index.containsKey("bytes") ? String.format("%.1f", index.get("bytes") / (1 << 20)) : "?");
        r.put("client_build_ms", Math.round(buildMs)).put("first_ms", Math.round(millis[0] * 10) / 10.0)
                .put("median_ms", Math.round(median * 10) / 10.0).put("runs", measured)
                .put("relay_index_items", index.get("items")).put("relay_index_bytes", index.get("bytes"))
                .put("complete", exact);
        System.out.println(r);
        return exact ? 0 : 1;
    }

    /** The corpus items not {@code dropped}, plus {@code extras} ({ts, id hex}), sorted by the builder. */
    private static NegentropyArrayStorage items(EventCorpus corpus, boolean[] dropped, List<Object[]> extras) {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        for (int i = 0; i < corpus.size(); i++) {
            if (!dropped[i]) {
                b.add(createdAt(corpus.json(i)), corpus.id(i));
            }
        }
        for (Object[] e : extras) {
            b.add((Long) e[0], (String) e[1]);
        }
        return b.seal();
    }

    /** created_at of a corpus event, read from its JSON (the corpus keeps the text only). */
    static long createdAt(byte[] json) {
        String s = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        int at = s.indexOf("\"created_at\":");
        if (at < 0) {
            throw new IllegalStateException("corpus event without created_at");
        }
        int from = at + "\"created_at\":".length();
        int to = from;
        while (to < s.length() && Character.isDigit(s.charAt(to))) {
            to++;
        }
        return Long.parseLong(s.substring(from, to));
    }

    /** The relay's negentropy index gauges from its /metrics page (empty when unreadable). */
    static Map<String, Double> indexMetrics(URI ws) {
        Map<String, Double> out = new HashMap<>();
        try {
            URI http = URI.create(ws.toString().replaceFirst("^ws", "http")).resolve("/metrics");
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith("parrhesia_negentropy_index_items ")) {
                    out.put("items", Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip()));
                } else if (line.startsWith("parrhesia_negentropy_index_bytes ")) {
                    out.put("bytes", Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip()));
                }
            }
        } catch (Exception e) {
            // The relay may not serve /metrics on that address; the figures are then reported as unknown.
        }
        return out;
    }
}
