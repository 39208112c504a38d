package nostr.relay.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import nostr.relay.store.EventStore;

/**
 * Retention of short-lived kinds: deletes events of each configured kind created longer ago than
 * its retention ({@code kind_retention}, e.g. {@code 445:7d} for MLS group messages, which members
 * fetch soon after they are sent and which pile up otherwise). One
 * {@link EventStore#purgeKindOlderThan} per kind per run; the store chunks large purges.
 */
public final class KindRetentionJob implements BackgroundJob {
    private final EventStore events;
    private final Clock clock;
    private final Map<Integer, Duration> retention;
    private final Duration interval;

    /**
     * @param retention kind to how long its events are kept (an empty map: the job does nothing)
     */
    public KindRetentionJob(EventStore events, Clock clock, Map<Integer, Duration> retention, Duration interval) {
        this.events = events;
        this.clock = clock;
        this.retention = new TreeMap<>(retention);
        this.interval = retention.isEmpty() ? Duration.ZERO : interval;
    }

    @Override
    public String name() {
        return "kind_retention";
    }

    /** Zero (off) when no kind has a retention. */
    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public long run() throws Exception {
        long now = clock.millis() / 1000;
        long removed = 0;
        for (Map.Entry<Integer, Duration> e : retention.entrySet()) {
            removed += events.purgeKindOlderThan(e.getKey(), now - e.getValue().toSeconds());
        }
        return removed;
    }
}
