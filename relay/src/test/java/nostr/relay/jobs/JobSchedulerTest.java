package nostr.relay.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The background job scheduler: runs on its interval, counts rows and failures, retries, stops cleanly. */
class JobSchedulerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final PrometheusRegistry registry = new PrometheusRegistry();

    /** A job that fails its first {@code failures} runs, then returns {@code rows}. */
    private static final class Flaky implements BackgroundJob {
        final AtomicInteger calls = new AtomicInteger();
        final int failures;
        final long rows;

        Flaky(int failures, long rows) {
            this.failures = failures;
            this.rows = rows;
        }

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(20);
        }

        @Override
        public long run() throws Exception {
            if (calls.incrementAndGet() <= failures) {
                throw new java.io.IOException("store unreachable (run " + calls.get() + ")");
            }
            return rows;
        }
    }

    private String metrics() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void failedRunsAreCountedAndRetriedAtTheNextInterval() throws Exception {
        Flaky job = new Flaky(2, 7);
        try (JobScheduler s = new JobScheduler(Clock.systemUTC(), registry).add(job)) {
            s.start();
            assertTrue(s.awaitRuns("flaky", 4, WAIT));
            JobScheduler.Status st = s.status("flaky");
            assertEquals(2, st.failures());
            assertTrue(st.rows() >= 14, st.toString());
            assertEquals("store unreachable (run 2)", st.lastError());
        }
        String m = metrics();
        assertTrue(m.contains("parrhesia_job_runs_total{job=\"flaky\",outcome=\"failed\"} 2.0"), m);
        assertTrue(m.contains("parrhesia_job_runs_total{job=\"flaky\",outcome=\"ok\"}"), m);
        assertTrue(m.contains("parrhesia_job_rows_total{job=\"flaky\"}"), m);
        assertTrue(m.contains("parrhesia_job_duration_seconds_count{job=\"flaky\"}"), m);
        assertTrue(m.contains("parrhesia_job_last_success_timestamp_seconds{job=\"flaky\"}"), m);
    }

    @Test
    void aJobWithZeroIntervalNeverRuns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BackgroundJob off = new BackgroundJob() {
            @Override
            public String name() {
                return "off";
            }

            @Override
            public Duration interval() {
                return Duration.ZERO;
            }

            @Override
            public long run() {
                calls.incrementAndGet();
                return 0;
            }
        };
        Flaky on = new Flaky(0, 1);
        try (JobScheduler s = new JobScheduler(Clock.systemUTC(), registry).add(off).add(on)) {
            s.start();
            assertEquals(java.util.List.of("flaky"), s.scheduled());
            assertTrue(s.awaitRuns("flaky", 3, WAIT));
            assertEquals(0, s.status("off").runs());
        }
        assertEquals(0, calls.get());
        assertThrows(IllegalArgumentException.class,
                () -> new JobScheduler(Clock.systemUTC(), new PrometheusRegistry()).add(on).add(new Flaky(0, 0)));
    }

    @Test
    void closeLetsARunningJobFinishAndStopsScheduling() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        BackgroundJob slow = new BackgroundJob() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public Duration interval() {
                return Duration.ofMillis(10);
            }

            @Override
            public long run() throws Exception {
                calls.incrementAndGet();
                started.countDown();
                release.await();
                finished.set(true);
                return 1;
            }
        };
        JobScheduler s = new JobScheduler(Clock.systemUTC(), registry).add(slow);
        s.start();
        assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        Thread closer = Thread.ofVirtual().start(s::close);
        assertFalse(closer.join(Duration.ofMillis(200)), "close waits for the running job");
        release.countDown();
        assertTrue(closer.join(WAIT));
        assertTrue(finished.get());
        assertEquals(1, s.status("slow").runs());
        assertEquals(1, calls.get(), "nothing ran after close");
    }
}
