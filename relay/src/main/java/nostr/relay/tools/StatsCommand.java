package nostr.relay.tools;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import nostr.core.json.Json;
import nostr.relay.StorageOpener;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.MaintenanceStore;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code parrhesia stats}: one JSON object with the store's event count, counts by kind, the
 * oldest and newest {@code created_at} and the size on disk. Reads only: safe while the relay runs.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, version = "parrhesia 0.1.0-SNAPSHOT",
        description = {"Prints event counts by kind, the oldest and newest created_at and the store size as JSON.",
                "Reads only: safe while the relay runs (counting scans an index: slow on huge stores)."})
final class StatsCommand extends ToolCommand {
    @Mixin
    StoreOptions store;

    @Override
    int run() {
        RelayConfig cfg = store.load();
        try (Storage storage = StoreOptions.open(cfg)) {
            MaintenanceStore.Stats s;
            try {
                s = storage.maintenance().stats();
            } catch (StoreException e) {
                throw ToolFailure.unavailable("the store failed: " + e.getMessage());
            }
            StringBuilder sb = new StringBuilder("{\"store\":");
            Json.appendQuoted(sb, s.store());
            sb.append(",\"location\":");
            Json.appendQuoted(sb, StorageOpener.describe(cfg, storage));
            sb.append(",\"events\":").append(s.events()).append(",\"kinds\":{");
            boolean first = true;
            for (Map.Entry<Integer, Long> e : s.eventsByKind().entrySet()) {
                sb.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
                first = false;
            }
            sb.append('}');
            time(sb, "oldest", s.oldestCreatedAt());
            time(sb, "newest", s.newestCreatedAt());
            sb.append(",\"size_bytes\":").append(s.sizeBytes()).append('}');
            out().println(sb);
            out().flush();
        }
        return ToolExit.OK;
    }

    /** "name": unix seconds (or null), and "name_utc": ISO-8601 when it is a representable instant. */
    private static void time(StringBuilder sb, String name, OptionalLong t) {
        sb.append(",\"").append(name).append("\":");
        if (t.isEmpty()) {
            sb.append("null");
            return;
        }
        sb.append(t.getAsLong());
        try {
            String iso = Instant.ofEpochSecond(t.getAsLong()).toString();
            sb.append(",\"").append(name).append("_utc\":");
            Json.appendQuoted(sb, iso);
        } catch (java.time.DateTimeException e) {
            // created_at beyond what Instant holds: the number alone
        }
    }
}
