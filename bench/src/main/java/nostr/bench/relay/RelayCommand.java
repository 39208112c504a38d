package nostr.bench.relay;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench relay --url ws://127.0.0.1:7777 [--scenario ingest|req|fanout|idle|all] ...}:
 * load against a running relay. Each scenario prints a human summary to stderr and one JSON line
 * of results to stdout (append them to a file to keep a record). Exit code 0 when every scenario's
 * counts add up (every event answered, every delivery made), 1 when one does not, 2 for bad options.
 */
@Command(name = "relay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load a Nostr relay over WebSocket: durable ingest, REQ latency, fan-out, idle connections.",
                "Human summary on stderr, one JSON line per scenario on stdout."})
public final class RelayCommand implements Callable<Integer> {
    /** Where pre-signed corpora are cached unless {@code --cache-dir} says otherwise; bin/bench sets it to the checkout's .cache/bench. */
    static final String CACHE_PROPERTY = "bench.cache";

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, description = "relay WebSocket URL on this machine, e.g. ws://127.0.0.1:7777")
    String url;

    @Option(names = "--scenario", defaultValue = "all", description = "ingest, req, fanout, idle or all (default: ${DEFAULT-VALUE})")
    String scenario;

    @Option(names = "--seed", defaultValue = "1", description = "corpus seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--cache-dir", description = "where pre-signed corpora are kept (default: the checkout's .cache/bench)")
    Path cacheDir;

    @Option(names = "--connections", defaultValue = "16", description = "publishing connections for ingest and the req fill (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--window", defaultValue = "64", description = "EVENTs in flight per publishing connection (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--rate", defaultValue = "0", description = "pace publishing at this many events/s in total; 0 = as fast as the windows allow (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--ingest-events", defaultValue = "200000", description = "timed events of the ingest scenario (default: ${DEFAULT-VALUE})")
    int ingestEvents;

    @Option(names = "--warmup", defaultValue = "10000", description = "untimed events sent before the ingest run (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--store-events", defaultValue = "1000000", description = "corpus the req scenario queries; published first if the relay lacks it (default: ${DEFAULT-VALUE})")
    int storeEvents;

    @Option(names = "--queries", defaultValue = "2000", description = "REQs per filter shape and concurrency level (default: ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--req-concurrency", defaultValue = "1,8", split = ",", description = "concurrency levels: connections issuing REQs back to back (default: ${DEFAULT-VALUE})")
    List<Integer> reqConcurrency;

    @Option(names = "--req-authors", defaultValue = "10", description = "authors in an authors+kinds filter (default: ${DEFAULT-VALUE})")
    int reqAuthors;

    @Option(names = "--req-limit", defaultValue = "20", description = "limit of the authors+kinds and #e filters (default: ${DEFAULT-VALUE})")
    int reqLimit;

    @Option(names = "--req-ids", defaultValue = "10", description = "ids in an ids filter (default: ${DEFAULT-VALUE})")
    int reqIds;

    @Option(names = "--subscribers", defaultValue = "1000", description = "fan-out subscriber connections (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--fanout-events", defaultValue = "1000", description = "events published to the subscribers (default: ${DEFAULT-VALUE})")
    int fanoutEvents;

    @Option(names = "--publishers", defaultValue = "1", description = "fan-out publishing connections (default: ${DEFAULT-VALUE})")
    int publishers;

    @Option(names = "--idle-connections", defaultValue = "10000", description = "connections the idle scenario holds (default: ${DEFAULT-VALUE})")
    int idleConnections;

    @Option(names = "--idle-hold", defaultValue = "10", description = "seconds to hold them before measuring (default: ${DEFAULT-VALUE})")
    long idleHoldSeconds;

    @Option(names = "--idle-req", description = "give every idle connection one open subscription")
    boolean idleReq;

    @Option(names = "--open-parallelism", defaultValue = "64", description = "WebSocket handshakes in progress at once (default: ${DEFAULT-VALUE})")
    int openParallelism;

    @Option(names = "--pid", defaultValue = "0", description = "the relay's process id, to read its RSS from /proc (idle scenario)")
    long pid;

    @Option(names = "--timeout", defaultValue = "900", description = "seconds any one phase may take (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    /** The validated options; a bad value is a picocli usage error naming the option. */
    RelayBenchOptions options() {
        try {
            Path cache = cacheDir != null ? cacheDir
                    : Path.of(System.getProperty(CACHE_PROPERTY, Path.of(".cache", "bench").toString()));
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--url is not a URL: " + url);
            }
            return new RelayBenchOptions(uri, RelayBenchOptions.Scenario.parse(scenario), seed, cache, connections, window,
                    rate, ingestEvents, warmup, storeEvents, queries, reqConcurrency, reqAuthors, reqLimit, reqIds,
                    subscribers, fanoutEvents, publishers, idleConnections, Duration.ofSeconds(Math.max(0, idleHoldSeconds)),
                    idleReq, openParallelism, pid, Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (idleHoldSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--idle-hold must not be negative, got " + idleHoldSeconds);
        }
        RelayBenchOptions o = options();
        PrintStream log = System.err;
        PrintStream out = System.out;
        boolean allComplete = true;
        List<String> failed = new ArrayList<>();
        for (RelayBenchOptions.Scenario s : o.scenarios()) {
            ResultLine r = runOne(s, o, log);
            out.println(r);
            out.flush();
            if (!Boolean.TRUE.equals(r.get("complete"))) {
                allComplete = false;
                failed.add(s.key());
            }
        }
        if (!allComplete) {
            log.println("bench relay: incomplete: " + String.join(", ", failed));
        }
        return allComplete ? 0 : 1;
    }

    /** Runs one scenario and wraps its results with the context every record needs. */
    static ResultLine runOne(RelayBenchOptions.Scenario s, RelayBenchOptions o, PrintStream log) throws Exception {
        double[] loadStart = HostStats.loadAverage();
        Instant started = Instant.now();
        long self = ProcessHandle.current().pid();
        double relayCpu0 = o.pid() > 0 ? HostStats.cpuSeconds(o.pid()) : -1;
        double clientCpu0 = HostStats.cpuSeconds(self);
        ResultLine body = switch (s) {
            case INGEST -> IngestScenario.run(o, log);
            case REQ -> ReqScenario.run(o, log);
            case FANOUT -> FanoutScenario.run(o, log);
            case IDLE -> IdleScenario.run(o, log);
        };
        double[] loadEnd = HostStats.loadAverage();
        double relayCpu = relayCpu0 >= 0 && o.pid() != self ? HostStats.cpuSeconds(o.pid()) - relayCpu0 : -1;
        double clientCpu = clientCpu0 >= 0 ? HostStats.cpuSeconds(self) - clientCpu0 : -1;
        ResultLine r = new ResultLine()
                .put("scenario", s.key())
                .put("url", o.url().toString())
                .put("started", started.toString())
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("loadavg_start", loadStart)
                .put("loadavg_end", loadEnd)
                .put("seed", o.seed());
        body.fields().forEach(r::put);
        // Relay and load generator share the machine's cores: what each used, whole scenario
        // (corpus loading and fills included).
        r.put("relay_cpu_s", relayCpu >= 0 ? Math.round(relayCpu * 100) / 100.0 : null);
        r.put("client_cpu_s", clientCpu >= 0 ? Math.round(clientCpu * 100) / 100.0 : null);
        if (loadEnd.length > 0) {
            log.printf("%s: load average %.2f %.2f %.2f at the end (%d cores, shared with the relay); CPU used: relay %s, this client %.1f s%n",
                    s.key(), loadEnd[0], loadEnd[1], loadEnd[2], Runtime.getRuntime().availableProcessors(),
                    relayCpu >= 0 ? String.format("%.1f s", relayCpu) : "? (no --pid)", clientCpu);
        }
        return r;
    }
}
