package nostr.bench.relay;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Durable ingest: {@code --connections} publishers, each with {@code --window} EVENTs in flight,
 * send {@code --ingest-events} pre-signed notes (after {@code --warmup} more, not counted);
 * reports OKs per second from the first send to the last OK, and send-to-OK latency. The relay
 * answers OK only after the event is committed, so this is the durable write rate.
 */
final class IngestScenario {
    private IngestScenario() {}

    static ResultLine run(RelayBenchOptions o, PrintStream log) throws IOException, InterruptedException {
        int total = o.warmup() + o.ingestEvents();
        EventCorpus corpus = EventCorpus.load(total, o.seed(), o.cacheDir(), log);
        ResultLine r = new ResultLine();
        if (o.warmup() > 0) {
            log.printf("ingest: warming up with %,d events%n", o.warmup());
            EventPublisher.Outcome w = EventPublisher.publish(o.url(), corpus::json, 0, o.warmup(), o.connections(),
                    o.window(), o.rate(), o.timeout(), null, "ingest warmup", log);
            if (w.failure() != null) {
                log.println("ingest: warmup failed: " + w.failure());
                return r.put("complete", false).put("failure", "warmup: " + w.failure());
            }
        }
        log.printf("ingest: %,d events over %d connections, window %d%s%n", o.ingestEvents(), o.connections(), o.window(),
                o.rate() > 0 ? String.format(", paced at %,.0f events/s", o.rate()) : "");
        long self = ProcessHandle.current().pid();
        boolean relayCpu = o.pid() > 0 && o.pid() != self;
        double relay0 = relayCpu ? HostStats.cpuSeconds(o.pid()) : -1;
        double client0 = HostStats.cpuSeconds(self);
        EventPublisher.Outcome out = EventPublisher.publish(o.url(), corpus::json, o.warmup(), total, o.connections(),
                o.window(), o.rate(), o.timeout(), null, "ingest", log);
        double relayCpuS = relayCpu ? HostStats.cpuSeconds(o.pid()) - relay0 : -1;
        double clientCpuS = HostStats.cpuSeconds(self) - client0;
        boolean complete = out.failure() == null && out.answered() == o.ingestEvents() && out.unmatched() == 0;
        r.put("events", o.ingestEvents())
                .put("warmup", o.warmup())
                .put("connections", Math.min(o.connections(), o.ingestEvents()))
                .put("window", o.window())
                .put("rate_limit", o.rate())
                .put("mean_event_bytes", Math.round(corpus.meanEventBytes()))
                .put("sent", out.sent())
                .put("stored", out.stored())
                .put("duplicates", out.duplicates())
                .put("refused", out.refused())
                .put("ok_true_by_prefix", new LinkedHashMap<String, Object>(out.okTrue()))
                .put("ok_false_by_prefix", new LinkedHashMap<String, Object>(out.okFalse()))
                .put("unmatched_oks", out.unmatched())
                .put("seconds", Math.round(out.seconds() * 1000) / 1000.0)
                .put("ok_per_s", Math.round(out.answered() / out.seconds()))
                .put("stored_per_s", Math.round(out.stored() / out.seconds()))
                .put("ok_latency_ms", ResultLine.latencyMillis(out.latency()))
                .put("relay_cpu_us_per_event", relayCpu ? Math.round(relayCpuS * 1e6 / o.ingestEvents()) : null)
                .put("client_cpu_us_per_event", Math.round(clientCpuS * 1e6 / o.ingestEvents()))
                .put("notices", out.notices())
                .put("complete", complete)
                .put("failure", out.failure());
        log.printf("ingest: %,d OK in %.2f s = %,.0f OK/s (stored %,d, duplicates %,d, refused %,d %s)%n",
                out.answered(), out.seconds(), out.answered() / out.seconds(), out.stored(), out.duplicates(),
                out.refused(), out.okFalse());
        if (out.latency().count() > 0) {
            log.printf("ingest: OK latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    ResultLine.millis(out.latency().percentile(50)), ResultLine.millis(out.latency().percentile(95)),
                    ResultLine.millis(out.latency().percentile(99)), ResultLine.millis(out.latency().max()));
        }
        log.printf("ingest: CPU per event during the timed run: relay %s, this client %d µs%n",
                relayCpu ? Math.round(relayCpuS * 1e6 / o.ingestEvents()) + " µs" : "? (no --pid)",
                Math.round(clientCpuS * 1e6 / o.ingestEvents()));
        if (out.duplicates() > 0) {
            log.printf("ingest: note: %,d events were already stored; use a fresh --data-dir or another --seed%n",
                    out.duplicates());
        }
        if (out.failure() != null) {
            log.println("ingest: FAILED: " + out.failure());
        }
        return r;
    }

    /** Small helper for other scenarios' summaries. */
    static Map<String, Object> summary(EventPublisher.Outcome out) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", out.sent());
        m.put("stored", out.stored());
        m.put("duplicates", out.duplicates());
        m.put("refused", out.refused());
        m.put("seconds", Math.round(out.seconds() * 1000) / 1000.0);
        m.put("ok_per_s", Math.round(out.answered() / out.seconds()));
        m.put("failure", out.failure());
        return m;
    }
}
