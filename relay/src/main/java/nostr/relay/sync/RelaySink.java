package nostr.relay.sync;

import java.time.Duration;
import java.util.List;
import nostr.core.client.ClientOptions;
import nostr.core.client.RelayClient;
import nostr.core.client.RelayException;
import nostr.core.event.Event;

/**
 * Fetched events published to the local relay that runs on the store (when its SQLite data
 * directory is locked by it): the relay verifies, stores, indexes and fans them out as it does
 * any client's events, and its write policy applies.
 */
public final class RelaySink implements LocalSink {
    private final RelayClient relay;
    private final WindowedPublisher publisher;

    private RelaySink(RelayClient relay, int window, Duration timeout) {
        this.relay = relay;
        this.publisher = new WindowedPublisher(relay, window, timeout);
    }

    /** Connects to the local relay at {@code url}. */
    public static RelaySink connect(String url, ClientOptions options, int window) throws RelayException {
        return new RelaySink(RelayClient.connect(url, options), window, options.requestTimeout());
    }

    /** The local relay's URL. */
    public String url() {
        return relay.url();
    }

    @Override
    public List<String> write(List<Event> events) throws Exception {
        return publisher.publish(events);
    }

    @Override
    public void close() {
        relay.close();
    }
}
