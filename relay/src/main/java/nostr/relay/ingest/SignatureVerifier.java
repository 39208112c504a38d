package nostr.relay.ingest;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verify stage: a fixed pool of platform threads, one per core, running id recomputation and
 * BIP-340 checks (about 50 µs each, pure CPU, in native code: platform threads, not virtual ones).
 * Work comes through one bounded queue; when it is full, submitters wait, which stops their
 * connections' readers and pushes back on the clients sending too fast.
 */
public final class SignatureVerifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignatureVerifier.class);
    private static final Runnable STOP = () -> {};

    private final BlockingQueue<Runnable> queue;
    private final Thread[] threads;
    private volatile boolean closed;

    public SignatureVerifier(int threads, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.threads = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            this.threads[i] = Thread.ofPlatform().name("verify-" + i).daemon(true).start(this::run);
        }
    }

    /**
     * Queues a verification job, waiting while the queue is full.
     *
     * @return false when the stage is closed (the job will not run)
     */
    public boolean submit(Runnable job) throws InterruptedException {
        if (closed) {
            return false;
        }
        queue.put(job);
        return true;
    }

    private void run() {
        while (true) {
            Runnable job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (job == STOP) {
                return;
            }
            try {
                job.run();
            } catch (RuntimeException e) {
                LOG.error("verification job failed", e);
            }
        }
    }

    /** Runs what is queued, then stops the threads. */
    @Override
    public void close() {
        closed = true;
        try {
            for (int i = 0; i < threads.length; i++) {
                queue.put(STOP);
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
