package nostr.relay.cluster;

import java.time.Duration;
import nostr.relay.jobs.BackgroundJob;
import nostr.relay.store.CommitJournal;

/**
 * Deletes commit journal entries older than {@code cluster_journal_retention_seconds}, every
 * minute. Every node runs it (deleting what another node already deleted is harmless).
 */
public final class JournalPruneJob implements BackgroundJob {
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private final CommitJournal journal;
    private final Duration retention;

    public JournalPruneJob(CommitJournal journal, Duration retention) {
        this.journal = journal;
        this.retention = retention;
    }

    @Override
    public String name() {
        return "cluster_journal_prune";
    }

    @Override
    public Duration interval() {
        return INTERVAL;
    }

    @Override
    public long run() throws Exception {
        return journal.prune(retention);
    }
}
