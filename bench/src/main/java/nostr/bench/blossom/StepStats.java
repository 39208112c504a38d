package nostr.bench.blossom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of one timed step of {@code bench blossom}: wall seconds per run, and the CPU
 * seconds the server and this client used during it. Medians are what the summary compares (the
 * machine is shared, so single runs can be off by a factor of two); min and max show the spread.
 */
public final class StepStats {
    private final String name;
    private final List<Double> seconds = new ArrayList<>();
    private final List<Double> serverCpu = new ArrayList<>();
    private final List<Double> clientCpu = new ArrayList<>();

    public StepStats(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** One run; a negative CPU figure means unknown. */
    public void add(double wallSeconds, double serverCpuSeconds, double clientCpuSeconds) {
        seconds.add(wallSeconds);
        if (serverCpuSeconds >= 0) {
            serverCpu.add(serverCpuSeconds);
        }
        if (clientCpuSeconds >= 0) {
            clientCpu.add(clientCpuSeconds);
        }
    }

    public int runs() {
        return seconds.size();
    }

    public double median() {
        return median(seconds);
    }

    public double min() {
        return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Median server CPU seconds, NaN when unknown. */
    public double serverCpu() {
        return median(serverCpu);
    }

    /** Median client CPU seconds, NaN when unknown. */
    public double clientCpu() {
        return median(clientCpu);
    }

    /** Megabytes (10^6) per second at the median. */
    public double megabytesPerSecond(long bytes) {
        return bytes / median() / 1e6;
    }

    /** The samples and their summary, for the JSON result line. */
    public Map<String, Object> toJson(long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median_s", round(median()));
        m.put("min_s", round(min()));
        m.put("max_s", round(max()));
        m.put("mb_per_s", Math.round(megabytesPerSecond(bytes)));
        m.put("runs_s", seconds.stream().map(StepStats::round).toList());
        m.put("server_cpu_s", serverCpu.isEmpty() ? null : round(serverCpu()));
        m.put("client_cpu_s", clientCpu.isEmpty() ? null : round(clientCpu()));
        return m;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Rounded to milliseconds (3 decimals). */
    public static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
