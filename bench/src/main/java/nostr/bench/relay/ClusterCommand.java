package nostr.bench.relay;

import java.io.PrintStream;
import java.net.URI;
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
 * {@code bin/bench cluster}: cross-node delivery of a running parrhesia cluster (several nodes
 * sharing PostgreSQL over NATS): latency below saturation and throughput at saturation (see
 * {@link ClusterScenario}). One JSON line per phase on stdout, a summary on stderr; exit 0 when
 * every note reached every subscriber of every node exactly once, 1 otherwise, 2 for bad options.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cross-node delivery latency and throughput of a parrhesia cluster (run its nodes first).")
public final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, description = "a node's WebSocket URL on this machine; give every node (at least 2); the first takes the latency phase's notes")
    List<String> urls;

    @Option(names = "--phase", defaultValue = "all", description = "latency, throughput or all (default: ${DEFAULT-VALUE})")
    String phase;

    @Option(names = "--subscribers", defaultValue = "20", description = "subscriber connections on each node (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--latency-events", defaultValue = "2000", description = "notes of the latency phase (default: ${DEFAULT-VALUE})")
    int latencyEvents;

    @Option(names = "--latency-rate", defaultValue = "200", description = "notes per second of the latency phase (default: ${DEFAULT-VALUE})")
    double latencyRate;

    @Option(names = "--throughput-events", defaultValue = "30000", description = "notes of the throughput phase, over all nodes (default: ${DEFAULT-VALUE})")
    int throughputEvents;

    @Option(names = "--publishers", defaultValue = "2", description = "publishing connections per node in the throughput phase (default: ${DEFAULT-VALUE})")
    int publishers;

    @Option(names = "--window", defaultValue = "64", description = "EVENTs in flight per publishing connection (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the run's tag (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds any one phase may take (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    /** The nodes, validated (ws:// on loopback, at least two). */
    List<URI> nodes() {
        if (urls.size() < 2) {
            throw new ParameterException(spec.commandLine(), "--url must be given once per node, at least twice");
        }
        List<URI> out = new ArrayList<>();
        for (String u : urls) {
            try {
                out.add(RelayBenchOptions.checkUrl(URI.create(u)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return out;
    }

    List<ClusterScenario.Phase> phases() {
        for (var v : List.of(Math.min(subscribers, Math.min(latencyEvents, throughputEvents)), publishers, window)) {
            if (v <= 0) {
                throw new ParameterException(spec.commandLine(),
                        "--subscribers, --latency-events, --throughput-events, --publishers and --window must be positive");
            }
        }
        if (latencyRate <= 0 || timeoutSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--latency-rate and --timeout must be positive");
        }
        ClusterScenario.Phase latency = new ClusterScenario.Phase("latency", latencyEvents, 1, window, latencyRate, true);
        ClusterScenario.Phase throughput = new ClusterScenario.Phase("throughput", throughputEvents, publishers, window, 0, false);
        return switch (phase) {
            case "latency" -> List.of(latency);
            case "throughput" -> List.of(throughput);
            case "all" -> List.of(latency, throughput);
            default -> throw new ParameterException(spec.commandLine(), "--phase must be latency, throughput or all, got " + phase);
        };
    }

    @Override
    public Integer call() throws Exception {
        List<URI> nodes = nodes();
        List<ClusterScenario.Phase> phases = phases();
        PrintStream log = System.err;
        boolean complete = true;
        for (ClusterScenario.Phase p : phases) {
            double[] load0 = HostStats.loadAverage();
            Instant started = Instant.now();
            ResultLine body = ClusterScenario.run(nodes, subscribers, p, seed, Duration.ofSeconds(timeoutSeconds), log);
            ResultLine r = new ResultLine().put("scenario", "cluster").put("urls", nodes.stream().map(URI::toString).toList())
                    .put("started", started.toString()).put("cores", Runtime.getRuntime().availableProcessors())
                    .put("loadavg_start", load0).put("loadavg_end", HostStats.loadAverage());
            body.fields().forEach(r::put);
            System.out.println(r);
            System.out.flush();
            complete &= Boolean.TRUE.equals(r.get("complete"));
        }
        return complete ? 0 : 1;
    }
}
