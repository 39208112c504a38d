package nostr.bench.relay;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * REQ latency on a large store: makes sure the relay holds the {@code --store-events} corpus
 * (probing a sample of its ids; publishing the whole corpus when any is missing, which also
 * measures ingest into a growing store), then times REQ round trips (REQ to EOSE, every stored
 * EVENT received) for three filter shapes, one after another on one connection and then from
 * several connections at once:
 * <ul>
 *   <li>{@code authors+kinds}: {@code {"authors":[<--req-authors pubkeys>],"kinds":[1],"limit":<--req-limit>}}, a home feed;
 *   <li>{@code #e}: {@code {"#e":[<thread root id>],"limit":<--req-limit>}}, a thread's replies;
 *   <li>{@code ids}: {@code {"ids":[<--req-ids ids>]}}, fetching known events.
 * </ul>
 * Each REQ's event count is checked against what the corpus says it must be.
 */
final class ReqScenario {
    private static final int PROBE = 50;

    /** A filter shape. */
    enum Shape {
        AUTHORS_KINDS("authors+kinds"), E_TAG("#e"), IDS("ids");

        final String label;

        Shape(String label) {
            this.label = label;
        }
    }

    /** A filter and the number of events the relay must return for it. */
    record Query(String filter, int expected) {}

    private ReqScenario() {}

    /** A random query of {@code shape} against {@code corpus}. */
    static Query query(Shape shape, EventCorpus corpus, SplittableRandom rng, int authors, int limit, int ids) {
        StringBuilder f = new StringBuilder(128);
        switch (shape) {
            case AUTHORS_KINDS -> {
                Set<Integer> picked = new LinkedHashSet<>();
                while (picked.size() < authors) {
                    picked.add(rng.nextInt(corpus.authors()));
                }
                long matching = 0;
                f.append("{\"authors\":[");
                boolean first = true;
                for (int a : picked) {
                    f.append(first ? "\"" : ",\"").append(corpus.pubkey(a)).append('"');
                    first = false;
                    matching += corpus.eventsBy(a);
                }
                f.append("],\"kinds\":[1],\"limit\":").append(limit).append('}');
                return new Query(f.toString(), (int) Math.min(limit, matching));
            }
            case E_TAG -> {
                int root = rng.nextInt(corpus.roots());
                f.append("{\"#e\":[\"").append(corpus.rootId(root)).append("\"],\"limit\":").append(limit).append('}');
                return new Query(f.toString(), Math.min(limit, corpus.repliesTo(root)));
            }
            case IDS -> {
                Set<Integer> picked = new LinkedHashSet<>();
                while (picked.size() < ids) {
                    picked.add(rng.nextInt(corpus.size()));
                }
                f.append("{\"ids\":[");
                boolean first = true;
                for (int i : picked) {
                    f.append(first ? "\"" : ",\"").append(corpus.id(i)).append('"');
                    first = false;
                }
                f.append("],\"limit\":").append(ids).append('}');
                return new Query(f.toString(), ids);
            }
        }
        throw new IllegalStateException("unknown shape " + shape);
    }

    static ResultLine run(RelayBenchOptions o, PrintStream log) throws IOException, InterruptedException {
        EventCorpus corpus = EventCorpus.load(o.storeEvents(), o.seed(), o.cacheDir(), log);
        ResultLine r = new ResultLine().put("store_events", o.storeEvents());
        int present = probe(o, corpus);
        r.put("probe_found_before", present + "/" + Math.min(PROBE, corpus.size()));
        if (present < Math.min(PROBE, corpus.size())) {
            log.printf("req: the relay lacks part of the %,d-event corpus (%d of %d probed ids found); publishing it%n",
                    corpus.size(), present, Math.min(PROBE, corpus.size()));
            EventPublisher.Outcome fill = EventPublisher.publish(o.url(), corpus::json, 0, corpus.size(), o.connections(),
                    o.window(), 0, o.timeout(), null, "req fill", log);
            log.printf("req: fill: %,d stored, %,d duplicates, %,d refused in %.1f s (%,.0f OK/s)%n", fill.stored(),
                    fill.duplicates(), fill.refused(), fill.seconds(), fill.answered() / fill.seconds());
            r.put("fill", IngestScenario.summary(fill));
            if (fill.failure() != null) {
                return r.put("complete", false).put("failure", "fill: " + fill.failure());
            }
            present = probe(o, corpus);
            if (present < Math.min(PROBE, corpus.size())) {
                return r.put("complete", false).put("failure", "after the fill only " + present + " probed ids are stored");
            }
        } else {
            log.printf("req: the relay already holds the %,d-event corpus%n", corpus.size());
        }
        int maxLanes = o.reqConcurrency().stream().mapToInt(Integer::intValue).max().orElse(1);
        List<ReqLane> lanes = new ArrayList<>(maxLanes);
        Map<String, Object> shapes = new LinkedHashMap<>();
        boolean complete = true;
        try {
            for (int i = 0; i < maxLanes; i++) {
                lanes.add(ReqLane.open(o.url(), "q" + i, o.timeout()));
            }
            SplittableRandom rng = new SplittableRandom(EventCorpus.mix(o.seed() + 17));
            for (Shape shape : Shape.values()) {
                Map<String, Object> levels = new LinkedHashMap<>();
                // Warm-up at concurrency 1, not recorded: JIT and page cache.
                runLevel(o, corpus, shape, List.of(lanes.get(0)), Math.min(o.queries(), 200), rng.split());
                for (int k : o.reqConcurrency()) {
                    Level level = runLevel(o, corpus, shape, lanes.subList(0, k), o.queries(), rng.split());
                    complete &= level.failure == null && level.wrong == 0 && level.refused == 0;
                    levels.put("c" + k, level.toMap());
                    log.printf("req: %-13s concurrency %2d: %,6d REQs, %,7.0f REQ/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, "
                                    + "%.1f events/REQ%s%n", shape.label, k, level.latency.count(), level.perSecond(),
                            ResultLine.millis(level.latency.count() > 0 ? level.latency.percentile(50) : 0),
                            ResultLine.millis(level.latency.count() > 0 ? level.latency.percentile(95) : 0),
                            ResultLine.millis(level.latency.count() > 0 ? level.latency.percentile(99) : 0),
                            level.meanEvents(),
                            level.wrong + level.refused > 0 || level.failure != null
                                    ? "  (" + level.wrong + " wrong counts, " + level.refused + " refused"
                                    + (level.failure != null ? ", " + level.failure : "") + ")" : "");
                }
                shapes.put(shape.label, levels);
            }
        } finally {
            lanes.parallelStream().forEach(ReqLane::close);
        }
        return r.put("req_authors", o.reqAuthors())
                .put("req_limit", o.reqLimit())
                .put("req_ids", o.reqIds())
                .put("queries_per_level", o.queries())
                .put("shapes", shapes)
                .put("complete", complete);
    }

    /** How many of a sample of the corpus's ids the relay returns (the last event always among them). */
    private static int probe(RelayBenchOptions o, EventCorpus corpus) throws IOException, InterruptedException {
        int n = Math.min(PROBE, corpus.size());
        StringBuilder f = new StringBuilder("{\"ids\":[");
        for (int k = 0; k < n; k++) {
            int i = n == 1 ? 0 : (int) ((long) k * (corpus.size() - 1) / (n - 1));
            f.append(k == 0 ? "\"" : ",\"").append(corpus.id(i)).append('"');
        }
        f.append("],\"limit\":").append(n).append('}');
        try (ReqLane lane = ReqLane.open(o.url(), "probe", o.timeout())) {
            ReqLane.Reply reply = lane.roundTrip(f.toString(), o.timeout());
            if (reply.refusal() != null) {
                throw new IOException("the relay refused the probe: " + reply.refusal());
            }
            return reply.events();
        }
    }

    /** Results at one concurrency level. */
    private static final class Level {
        final LatencyHistogram latency = new LatencyHistogram();
        final AtomicLong events = new AtomicLong();
        final AtomicReference<String> failureRef = new AtomicReference<>();
        long wrong;
        long refused;
        String failure;
        long nanos;

        double perSecond() {
            return latency.count() / Math.max(1e-9, nanos / 1e9);
        }

        double meanEvents() {
            return latency.count() == 0 ? 0 : (double) events.get() / latency.count();
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reqs", latency.count());
            m.put("req_per_s", Math.round(perSecond()));
            m.put("latency_ms", ResultLine.latencyMillis(latency));
            m.put("mean_events", Math.round(meanEvents() * 100) / 100.0);
            m.put("wrong_counts", wrong);
            m.put("refused", refused);
            m.put("failure", failure);
            return m;
        }
    }

    private static Level runLevel(RelayBenchOptions o, EventCorpus corpus, Shape shape, List<ReqLane> lanes, int queries,
                                  SplittableRandom rng) throws InterruptedException {
        Level level = new Level();
        int k = lanes.size();
        // Queries are made up front, so the timed loop only sends and waits.
        List<List<Query>> perLane = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            perLane.add(new ArrayList<>());
        }
        for (int q = 0; q < queries; q++) {
            perLane.get(q % k).add(query(shape, corpus, rng, o.reqAuthors(), o.reqLimit(), o.reqIds()));
        }
        AtomicLong wrong = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<Thread> threads = new ArrayList<>(k);
        long t0 = System.nanoTime();
        for (int i = 0; i < k; i++) {
            ReqLane lane = lanes.get(i);
            List<Query> mine = perLane.get(i);
            threads.add(Thread.ofVirtual().name("req-" + i).start(() -> {
                try {
                    for (Query q : mine) {
                        ReqLane.Reply reply = lane.roundTrip(q.filter(), o.timeout());
                        level.latency.record(reply.nanos());
                        level.events.addAndGet(reply.events());
                        if (reply.refusal() != null) {
                            refused.incrementAndGet();
                        } else if (reply.events() != q.expected()) {
                            wrong.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    level.failureRef.compareAndSet(null, e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        level.nanos = System.nanoTime() - t0;
        level.wrong = wrong.get();
        level.refused = refused.get();
        level.failure = level.failureRef.get();
        return level;
    }
}
