package nostr.relay.jobs;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the relay's {@link BackgroundJob}s, each every {@link BackgroundJob#interval()} (fixed
 * delay: a slow run pushes the next one back instead of piling up), all on one platform thread,
 * so jobs never run concurrently with each other or themselves. The first run of each job is one
 * interval after {@link #start()}.
 *
 * <p>Per job it exports {@code parrhesia_job_runs_total{job,outcome=ok|failed}},
 * {@code parrhesia_job_rows_total{job}}, {@code parrhesia_job_duration_seconds{job}} and
 * {@code parrhesia_job_last_success_timestamp_seconds{job}}. A failed run is logged with its
 * reason and retried at the next interval. {@link #close()} lets a running job finish (up to
 * a grace period), then stops; the store can be closed after it returns.
 */
public final class JobScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    /** What happened to one job so far. */
    public record Status(long runs, long failures, long rows, String lastError) {}

    private final List<BackgroundJob> jobs = new ArrayList<>();
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("jobs").daemon(true).factory());
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ran = lock.newCondition();
    private final Map<String, Status> status = new HashMap<>();
    private final Counter runs;
    private final Counter rows;
    private final Histogram duration;
    private final Gauge lastSuccess;
    private boolean started;

    /**
     * @param clock wall clock for the last-success gauge
     * @param registry where the job metrics are registered
     */
    public JobScheduler(Clock clock, PrometheusRegistry registry) {
        this.clock = clock;
        runs = Counter.builder().name("parrhesia_job_runs_total")
                .help("Background job runs, by job and outcome (ok, failed)").labelNames("job", "outcome").register(registry);
        rows = Counter.builder().name("parrhesia_job_rows_total")
                .help("Rows (events, entries) background jobs removed or refreshed").labelNames("job").register(registry);
        duration = Histogram.builder().name("parrhesia_job_duration_seconds").help("Time of one background job run")
                .classicUpperBounds(0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600).labelNames("job").register(registry);
        lastSuccess = Gauge.builder().name("parrhesia_job_last_success_timestamp_seconds")
                .help("Unix time of the last successful run of each background job").labelNames("job").register(registry);
    }

    /** Adds a job (before {@link #start()}); a zero interval leaves it switched off. */
    public JobScheduler add(BackgroundJob job) {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("add jobs before start()");
            }
            if (status.containsKey(job.name())) {
                throw new IllegalArgumentException("a job named " + job.name() + " was added already");
            }
            jobs.add(job);
            status.put(job.name(), new Status(0, 0, 0, null));
            runs.labelValues(job.name(), "ok");
            runs.labelValues(job.name(), "failed");
            rows.labelValues(job.name());
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** Schedules every job with a positive interval. */
    public void start() {
        lock.lock();
        try {
            started = true;
        } finally {
            lock.unlock();
        }
        for (BackgroundJob job : jobs) {
            long ms = job.interval().toMillis();
            if (ms > 0) {
                executor.scheduleWithFixedDelay(() -> runOnce(job), ms, ms, TimeUnit.MILLISECONDS);
                LOG.debug("job {} every {}", job.name(), job.interval());
            }
        }
    }

    /** Names of the jobs that run (positive interval). */
    public List<String> scheduled() {
        return jobs.stream().filter(j -> j.interval().toMillis() > 0).map(BackgroundJob::name).toList();
    }

    /** The status of a job, by name. */
    public Status status(String job) {
        lock.lock();
        try {
            Status s = status.get(job);
            if (s == null) {
                throw new IllegalArgumentException("no job named " + job);
            }
            return s;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code job} has completed at least {@code runs} runs (ok or failed).
     *
     * @return false if the timeout passed first
     */
    public boolean awaitRuns(String job, long runs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (status(job).runs() < runs) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                ran.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void runOnce(BackgroundJob job) {
        long start = System.nanoTime();
        long n = 0;
        String error = null;
        try {
            n = job.run();
        } catch (Exception | Error e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("background job {} failed, retrying in {}: {}", job.name(), job.interval(), error);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        duration.labelValues(job.name()).observe(seconds);
        if (error == null) {
            runs.labelValues(job.name(), "ok").inc();
            rows.labelValues(job.name()).inc(n);
            lastSuccess.labelValues(job.name()).set(clock.millis() / 1000.0);
            if (n > 0) {
                LOG.info("background job {}: {} rows in {} ms", job.name(), n, Math.round(seconds * 1000));
            }
        } else {
            runs.labelValues(job.name(), "failed").inc();
        }
        lock.lock();
        try {
            Status s = status.get(job.name());
            status.put(job.name(), new Status(s.runs() + 1, s.failures() + (error == null ? 0 : 1),
                    s.rows() + n, error == null ? s.lastError() : error));
            ran.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops scheduling; a run in progress may finish within a grace period. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("a background job did not finish within {}; interrupting it", CLOSE_GRACE);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
