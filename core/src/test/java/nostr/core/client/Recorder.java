package nostr.core.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nostr.core.event.Event;

/**
 * A subscription listener that records what it is told as short strings
 * ({@code "event <content>"}, {@code "eose"}, {@code "closed <url> <reason>"},
 * {@code "failure <url> <kind>"}) and lets a test wait for them with a deadline.
 */
final class Recorder implements SubscriptionListener {
    private final BlockingQueue<String> log = new LinkedBlockingQueue<>();
    final List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onEvent(String relayUrl, Event event) {
        events.add(event);
        log.add("event " + event.content());
    }

    @Override
    public void onEose() {
        log.add("eose");
    }

    @Override
    public void onClosed(String relayUrl, String reason) {
        log.add("closed " + relayUrl + " " + reason);
    }

    @Override
    public void onFailure(String relayUrl, RelayException error) {
        log.add("failure " + relayUrl + " " + error.kind());
    }

    /** The next record; fails the test if none comes within {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
        String s = log.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new AssertionError("listener heard nothing within " + timeout);
        }
        return s;
    }

    /** The next {@code n} records. */
    List<String> next(int n, Duration timeout) throws InterruptedException {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next(timeout));
        }
        return out;
    }

    /** Everything recorded and not yet taken, without waiting. */
    List<String> drain() {
        List<String> out = new ArrayList<>();
        log.drainTo(out);
        return out;
    }
}
