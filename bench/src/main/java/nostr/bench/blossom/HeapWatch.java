package nostr.bench.blossom;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples a server's used heap every 100 ms from its Prometheus endpoint (client_java's
 * {@code jvm_memory_used_bytes{area="heap"}}), to show that transfers do not buffer blobs.
 */
public final class HeapWatch implements AutoCloseable {
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"\\} ([0-9.eE+]+)$");

    private final URI metrics;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong samples = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final boolean available;
    private Thread sampler;

    public HeapWatch(URI metrics) {
        this.metrics = metrics;
        boolean ok;
        try {
            read();
            ok = true;
        } catch (RuntimeException e) {
            ok = false;
        }
        this.available = ok;
    }

    /** Whether the endpoint answered with a heap figure. */
    public boolean available() {
        return available;
    }

    /** The heap in use now, in bytes. */
    public long read() {
        try {
            String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = HEAP.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("no jvm_memory_used_bytes{area=\"heap\"} at " + metrics);
            }
            return (long) Double.parseDouble(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts sampling (no-op when the endpoint is not available or sampling already runs). */
    public void start() {
        if (!available || !running.compareAndSet(false, true)) {
            return;
        }
        sampler = Thread.ofVirtual().name("heap-watch").start(() -> {
            while (running.get()) {
                try {
                    long v = read();
                    max.accumulateAndGet(v, Math::max);
                    min.accumulateAndGet(v, Math::min);
                    samples.incrementAndGet();
                    Thread.sleep(100);
                } catch (RuntimeException | InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Stops sampling and waits for the sampler. */
    public void stop() throws InterruptedException {
        running.set(false);
        if (sampler != null) {
            sampler.join();
            sampler = null;
        }
    }

    public long max() {
        return max.get();
    }

    public long min() {
        return samples.get() == 0 ? 0 : min.get();
    }

    public long samples() {
        return samples.get();
    }

    @Override
    public void close() {
        running.set(false);
        http.close();
    }
}
