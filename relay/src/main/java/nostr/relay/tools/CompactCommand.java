package nostr.relay.tools;

import nostr.core.json.Json;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.MaintenanceStore;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code parrhesia compact} (alias {@code vacuum}): gives free space back and refreshes planner
 * statistics. SQLite: WAL checkpoint, {@code VACUUM} (rewrites the file; needs free space about
 * its size), WAL truncated, {@code PRAGMA optimize}; it takes the data directory lock, so it refuses
 * to run while the relay runs on it. PostgreSQL: {@code VACUUM (ANALYZE)} of every table of the
 * relay's schema, which runs beside the relay.
 */
@Command(name = "compact", aliases = "vacuum", mixinStandardHelpOptions = true, version = "parrhesia 0.1.0-SNAPSHOT",
        description = {"SQLite: checkpoint, VACUUM, truncate the WAL (the relay must be stopped).",
                "PostgreSQL: VACUUM (ANALYZE) every table of the relay's schema (fine while relays run).",
                "Prints the sizes before and after and what ran, as JSON."})
final class CompactCommand extends ToolCommand {
    @Mixin
    StoreOptions store;

    @Override
    int run() {
        RelayConfig cfg = store.load();
        try (DataDirLock lock = StoreOptions.lockForWriting(cfg, "compacting");
             Storage storage = StoreOptions.open(cfg)) {
            MaintenanceStore.Compaction c;
            try {
                c = storage.maintenance().compact();
            } catch (StoreException e) {
                throw ToolFailure.unavailable("the store failed: " + e.getMessage());
            }
            StringBuilder sb = new StringBuilder("{\"store\":");
            Json.appendQuoted(sb, storage.name());
            sb.append(",\"size_before_bytes\":").append(c.sizeBeforeBytes())
                    .append(",\"size_after_bytes\":").append(c.sizeAfterBytes()).append(",\"actions\":[");
            for (int i = 0; i < c.actions().size(); i++) {
                sb.append(i > 0 ? "," : "");
                Json.appendQuoted(sb, c.actions().get(i));
            }
            out().println(sb.append("]}"));
            out().flush();
        }
        return ToolExit.OK;
    }
}
