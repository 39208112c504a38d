package nostr.bench.relay;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Validated settings of one {@code bench relay} run (see {@link RelayCommand} for each option's
 * meaning and default). Checked once, with messages naming the option, so scenarios can trust them.
 */
record RelayBenchOptions(URI url, List<Scenario> scenarios, long seed, Path cacheDir, int connections, int window,
                         double rate, int ingestEvents, int warmup, int storeEvents, int queries,
                         List<Integer> reqConcurrency, int reqAuthors, int reqLimit, int reqIds, int subscribers,
                         int fanoutEvents, int publishers, int idleConnections, Duration idleHold, boolean idleReq,
                         int openParallelism, long pid, Duration timeout) {

    /** The scenarios, in the order {@code all} runs them. */
    enum Scenario {
        INGEST, REQ, FANOUT, IDLE;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code ingest|req|fanout|idle}, or {@code all} for every one. */
        static List<Scenario> parse(String s) {
            String k = s.trim().toLowerCase(Locale.ROOT);
            if (k.equals("all")) {
                return List.of(values());
            }
            for (Scenario sc : values()) {
                if (sc.key().equals(k)) {
                    return List.of(sc);
                }
            }
            throw new IllegalArgumentException("--scenario must be ingest, req, fanout, idle or all, got '" + s + "'");
        }
    }

    RelayBenchOptions {
        url = checkUrl(url);
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("no scenario selected");
        }
        positive("--connections", connections);
        positive("--window", window);
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be 0 (unpaced) or a positive number of events/s, got " + rate);
        }
        positive("--ingest-events", ingestEvents);
        notNegative("--warmup", warmup);
        if ((long) ingestEvents + warmup > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--ingest-events plus --warmup is too large");
        }
        positive("--store-events", storeEvents);
        positive("--queries", queries);
        if (reqConcurrency.isEmpty()) {
            throw new IllegalArgumentException("--req-concurrency needs at least one level");
        }
        for (int c : reqConcurrency) {
            positive("--req-concurrency", c);
        }
        reqConcurrency = List.copyOf(reqConcurrency);
        positive("--req-authors", reqAuthors);
        positive("--req-limit", reqLimit);
        positive("--req-ids", reqIds);
        if (reqIds > storeEvents) {
            throw new IllegalArgumentException("--req-ids (" + reqIds + ") must not exceed --store-events (" + storeEvents + ")");
        }
        if (reqAuthors > EventCorpus.authorsFor(storeEvents)) {
            throw new IllegalArgumentException("--req-authors (" + reqAuthors + ") must not exceed the corpus's "
                    + EventCorpus.authorsFor(storeEvents) + " authors (store events / 100, at least 10)");
        }
        positive("--subscribers", subscribers);
        positive("--fanout-events", fanoutEvents);
        positive("--publishers", publishers);
        positive("--idle-connections", idleConnections);
        if (idleHold.isNegative()) {
            throw new IllegalArgumentException("--idle-hold must not be negative");
        }
        positive("--open-parallelism", openParallelism);
        notNegative("--pid", pid);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
    }

    /** Only ws:// to a loopback address: this tool generates load, and load stays on this machine. */
    static URI checkUrl(URI url) {
        if (url == null || url.getScheme() == null || !url.getScheme().equalsIgnoreCase("ws")) {
            throw new IllegalArgumentException("--url must be a ws:// URL, got " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("--url has no host: " + url);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--url host " + url.getHost() + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("--url must point at this machine (loopback, e.g. ws://127.0.0.1:7777); "
                        + url.getHost() + " resolves to " + a.getHostAddress());
            }
        }
        String path = url.getRawPath();
        return path == null || path.isEmpty() ? URI.create(url + "/") : url;
    }

    private static void positive(String option, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + v);
        }
    }

    private static void notNegative(String option, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(option + " must not be negative, got " + v);
        }
    }
}
