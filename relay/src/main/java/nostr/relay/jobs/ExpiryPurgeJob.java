package nostr.relay.jobs;

import java.time.Clock;
import java.time.Duration;
import nostr.relay.store.EventStore;

/**
 * NIP-40: deletes events whose {@code expiration} tag is at or before now. Queries already hide
 * expired events, so this only gives their space back; the interval trades disk for work.
 */
public final class ExpiryPurgeJob implements BackgroundJob {
    private final EventStore events;
    private final Clock clock;
    private final Duration interval;

    public ExpiryPurgeJob(EventStore events, Clock clock, Duration interval) {
        this.events = events;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "expiry_purge";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public long run() throws Exception {
        return events.purgeExpired(clock.millis() / 1000);
    }
}
