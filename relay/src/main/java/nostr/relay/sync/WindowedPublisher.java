package nostr.relay.sync;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nostr.core.client.PublishResult;
import nostr.core.client.RelayClient;
import nostr.core.client.RelayException;
import nostr.core.event.Event;

/**
 * Publishes events to one relay with at most {@code window} EVENTs waiting for their OK, so a
 * large upload neither waits a round trip per event nor floods the relay's inflight limit.
 */
final class WindowedPublisher {
    private final RelayClient relay;
    private final int window;
    private final Duration timeout;

    WindowedPublisher(RelayClient relay, int window, Duration timeout) {
        this.relay = relay;
        this.window = window;
        this.timeout = timeout;
    }

    /**
     * Publishes {@code events}; returns one entry per event: null when the relay accepted it (a
     * duplicate included), else its refusal.
     *
     * @throws RelayException when the connection is lost or an OK does not come in time
     */
    List<String> publish(List<Event> events) throws RelayException, InterruptedException {
        List<String> out = new ArrayList<>(events.size());
        ArrayDeque<CompletableFuture<PublishResult>> inflight = new ArrayDeque<>();
        for (Event e : events) {
            if (inflight.size() >= window) {
                out.add(answer(inflight.poll()));
            }
            inflight.add(relay.publish(e));
        }
        while (!inflight.isEmpty()) {
            out.add(answer(inflight.poll()));
        }
        return out;
    }

    private String answer(CompletableFuture<PublishResult> f) throws RelayException, InterruptedException {
        try {
            PublishResult r = f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (r.accepted()) {
                return null;
            }
            return r.message().isEmpty() ? "error: refused without a reason" : r.message();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RelayException re) {
                throw re;
            }
            throw new RelayException(RelayException.Kind.CONNECTION_LOST, relay.url() + ": " + e.getCause());
        } catch (TimeoutException e) {
            throw new RelayException(RelayException.Kind.TIMEOUT, relay.url() + ": no OK within " + timeout.toSeconds() + " s");
        }
    }
}
