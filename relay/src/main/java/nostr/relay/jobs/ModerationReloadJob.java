package nostr.relay.jobs;

import java.time.Duration;

/**
 * Reads the moderation lists (bans, allowlists, allowed kinds, blocked IPs) and the NIP-86 relay
 * settings from the store again. Changes made through this node's NIP-86 API apply at once
 * without it; this picks up changes other relay nodes sharing the database made.
 */
public final class ModerationReloadJob implements BackgroundJob {

    /** The reload itself; throws when the store cannot be read (the previous lists stay). */
    @FunctionalInterface
    public interface Reload {
        /** @return entries loaded */
        long reload() throws Exception;
    }

    private final Reload reload;
    private final Duration interval;

    public ModerationReloadJob(Reload reload, Duration interval) {
        this.reload = reload;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "moderation_reload";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public long run() throws Exception {
        return reload.reload();
    }
}
