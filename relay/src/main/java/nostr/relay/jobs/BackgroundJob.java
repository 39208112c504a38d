package nostr.relay.jobs;

import java.time.Duration;

/**
 * Periodic work of a running relay, run by {@link JobScheduler}: one class per job. A run that
 * throws is logged and counted as failed; the next interval tries again.
 */
public interface BackgroundJob {

    /** Metric label and log name, e.g. {@code expiry_purge}. */
    String name();

    /** Time between the end of one run and the start of the next; zero means never. */
    Duration interval();

    /**
     * Does one round of the work.
     *
     * @return rows (events, entries) it removed or refreshed, for the metrics
     */
    long run() throws Exception;
}
