package nostr.relay.jobs;

import java.time.Duration;
import nostr.relay.store.MaintenanceStore;

/**
 * NIP-62 asks relays to delete everything of a pubkey that vanishes. The store removes the rows
 * when the request arrives; what engines keep beyond the rows (SQLite: words in full-text index
 * segments and page images in the WAL; PostgreSQL: dead row versions until VACUUM) is removed by
 * {@link MaintenanceStore#scrubDeleted()}. This job runs it when the store has applied requests to
 * vanish since the job last looked (also once at start when any exist), and does nothing otherwise.
 */
public final class VanishScrubJob implements BackgroundJob {
    private final MaintenanceStore maintenance;
    private final Duration interval;
    private long scrubbedUpTo = 0;

    public VanishScrubJob(MaintenanceStore maintenance, Duration interval) {
        this.maintenance = maintenance;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "vanish_scrub";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** Returns how many new requests to vanish it scrubbed after (0 when there were none). */
    @Override
    public long run() throws Exception {
        long seen = maintenance.vanishRequestCount();
        if (seen <= scrubbedUpTo) {
            return 0;
        }
        maintenance.scrubDeleted();
        long newRequests = seen - scrubbedUpTo;
        scrubbedUpTo = seen;
        return newRequests;
    }
}
