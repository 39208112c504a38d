package nostr.relay.tools;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nostr.core.client.Backoff;
import nostr.core.client.ClientOptions;
import nostr.core.client.RelayClient;
import nostr.core.client.RelayException;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.filter.FilterException;
import nostr.core.json.Json;
import nostr.core.negentropy.Negentropy;
import nostr.relay.config.PolicyConfig;
import nostr.relay.config.RelayConfig;
import nostr.relay.config.StoreKind;
import nostr.relay.deletion.DeletionRequests;
import nostr.relay.deletion.VanishRequests;
import nostr.relay.policy.ModerationLists;
import nostr.relay.policy.PolicyPipeline;
import nostr.relay.store.EventStore;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import nostr.relay.store.WriteStatus;
import nostr.relay.sync.Direction;
import nostr.relay.sync.LocalSink;
import nostr.relay.sync.RelaySink;
import nostr.relay.sync.RemoteSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parrhesia sync <relay-url>}: reconciles the local store with any NIP-77 relay (negentropy),
 * then fetches what the relay has ({@code --direction down}, the default), publishes what it lacks
 * ({@code up}), or both. Every fetched event is checked (asked for, id, signature) before it is
 * kept; events the local store refuses and events the relay refuses are printed as JSON lines on
 * standard output; progress and a summary go to standard error.
 *
 * <p>Where fetched events go: on PostgreSQL, and on SQLite when no relay runs on the data
 * directory, straight into the store under the import rules (the data directory lock is held
 * while writing, as {@code import} does); on SQLite while the relay runs (its lock is held), they
 * are published to that relay over its WebSocket ({@code relay_url}, else {@code ws://host:port/}
 * from the same configuration), so it verifies, stores, indexes and fans them out. {@code
 * --local-relay URL} asks for the second way on any store. The local side's events are always read
 * from the store (a read needs no lock).
 *
 * <p>Exit status: 0 done and complete; 1 some events were refused (by either side), invalid, or
 * listed but not sent; 2 usage or configuration; 3 the remote relay cannot be reached, does not
 * support NIP-77, refused the reconciliation (NEG-ERR) or stopped answering, or the local store or
 * relay cannot be used.
 */
@Command(name = "sync", mixinStandardHelpOptions = true, version = "parrhesia 0.1.0-SNAPSHOT",
        description = {"Reconciles the local store with a NIP-77 relay (negentropy), then fetches and/or publishes the difference.",
                "Refused events are printed as JSON lines; progress goes to standard error."},
        footer = {"", "Exit: 0 complete, 1 some events refused or missing, 2 usage, 3 relay unreachable,",
                "without NIP-77 or refusing, or store unavailable."})
final class SyncCommand extends ToolCommand {
    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "RELAY-URL", description = "the ws:// or wss:// relay to sync with")
    String url;

    @Option(names = "--filter", paramLabel = "JSON", defaultValue = "{}",
            description = "NIP-01 filter of the events to sync (default: every event)")
    String filterJson;

    @Option(names = "--direction", paramLabel = "DIR", defaultValue = "down",
            description = "down (fetch), up (publish) or both (default: ${DEFAULT-VALUE})")
    String direction;

    @Option(names = "--frame-size-limit", paramLabel = "BYTES", defaultValue = "60000",
            description = "largest negentropy message sent, in bytes before hex; 0 for none (default: ${DEFAULT-VALUE})")
    long frameSizeLimit;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "500", description = "ids per REQ and per store read (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--window", paramLabel = "N", defaultValue = "100", description = "EVENTs awaiting OK at once (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "longest wait for any answer: negentropy round, EOSE, OK (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--local-relay", paramLabel = "URL",
            description = "publish fetched events to this running local relay instead of writing the store")
    String localRelay;

    @Option(names = "--relay-url", paramLabel = "URL",
            description = "this relay's public ws(s) URL, for NIP-62 relay tags of fetched requests to vanish (default: relay_url, else ws://host:port/)")
    String ownUrl;

    @Override
    int run() throws Exception {
        RelayConfig cfg = store.load();
        Filter filter;
        try {
            filter = Filter.parse(filterJson);
        } catch (FilterException e) {
            throw ToolFailure.usage("--filter is not a NIP-01 filter: " + e.getMessage());
        }
        Direction dir;
        try {
            dir = Direction.parse(direction);
            Negentropy.checkFrameSizeLimit(frameSizeLimit);
        } catch (IllegalArgumentException e) {
            throw ToolFailure.usage(e.getMessage().replace("frameSizeLimit", "--frame-size-limit"));
        }
        if (batch <= 0 || window <= 0 || timeoutSeconds <= 0) {
            throw ToolFailure.usage("--batch, --window and --timeout must be positive");
        }
        if (!url.matches("(?i)wss?://\\S+")) {
            throw ToolFailure.usage("the relay URL must start with ws:// or wss://, got '" + url + "'");
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        ClientOptions options = ClientOptions.defaults().withRequestTimeout(timeout).withConnectTimeout(timeout)
                .withEoseTimeout(timeout).withVerifyEvents(false).withBackoff(Backoff.none());
        DataDirLock lock = null;
        String via = localRelay;
        if (dir.down() && via == null && cfg.store() == StoreKind.SQLITE) {
            try {
                lock = DataDirLock.acquire(cfg.dataDir(), "syncing");
            } catch (IllegalStateException busy) {
                // The relay runs on this directory: hand it the events rather than fight its writer.
                via = cfg.publicUrl(cfg.port());
                err().println("parrhesia sync: a relay runs on " + cfg.dataDir() + "; fetched events go to it at " + via);
            } catch (IOException e) {
                throw ToolFailure.unavailable("cannot lock the data directory " + cfg.dataDir() + ": " + e.getMessage());
            }
        }
        try (DataDirLock held = lock; Storage storage = StoreOptions.open(cfg);
             LocalSink sink = dir.down() ? openSink(cfg, storage, via, options) : null) {
            RelayClient remote;
            try {
                remote = RelayClient.connect(url, options);
            } catch (RelayException e) {
                throw ToolFailure.unavailable("cannot reach " + url + ": " + e.getMessage());
            }
            try (remote) {
                RemoteSync.Report report;
                try {
                    report = new RemoteSync(storage.events(), remote, sink, new RemoteSync.Options(filter, dir, frameSizeLimit,
                            batch, window, timeout), listener(), System.currentTimeMillis() / 1000).run();
                } catch (RelayException e) {
                    throw ToolFailure.unavailable(explain(e));
                } catch (StoreException e) {
                    throw ToolFailure.unavailable("the local store failed: " + e.getMessage());
                }
                out().flush();
                err().println("parrhesia sync: " + url + ": local " + report.localItems() + ", only on the relay "
                        + report.remoteOnly() + ", only local " + report.localOnly() + " (" + report.rounds() + " round(s), "
                        + report.reconcileMillis() + " ms); down: fetched " + report.fetched() + ", stored " + report.stored()
                        + ", refused " + report.refusedDown() + ", invalid " + report.invalid() + ", missing " + report.missing()
                        + "; up: published " + report.published() + ", refused " + report.refusedUp());
                err().flush();
                return report.complete() ? ToolExit.OK : ToolExit.NEGATIVE;
            }
        }
    }

    private LocalSink openSink(RelayConfig cfg, Storage storage, String via, ClientOptions options) {
        if (via != null) {
            try {
                return RelaySink.connect(via, options.withVerifyEvents(true), window);
            } catch (RelayException e) {
                throw ToolFailure.unavailable("cannot reach the local relay at " + via + ": " + e.getMessage());
            }
        }
        ModerationLists lists;
        try {
            lists = ModerationLists.load(storage, cfg.policy().accessMode() == PolicyConfig.AccessMode.MEMBERS);
        } catch (StoreException e) {
            throw ToolFailure.unavailable("cannot read the moderation lists: " + e.getMessage());
        }
        String own = ownUrl != null ? ownUrl : cfg.publicUrl(cfg.port());
        return new StoreSink(storage.events(), ImportCommand.importPolicy(cfg, lists), new VanishRequests(() -> own));
    }

    /** What a failed reconciliation means for the operator. */
    private String explain(RelayException e) {
        return switch (e.kind()) {
            case UNSUPPORTED -> url + " does not support NIP-77 negentropy syncing: " + e.getMessage();
            case TIMEOUT -> e.getMessage();
            case REFUSED -> url + " refused: " + e.getMessage();
            default -> "lost " + url + ": " + e.getMessage();
        };
    }

    private RemoteSync.Listener listener() {
        return new RemoteSync.Listener() {
            @Override
            public void progress(String line) {
                err().println("parrhesia sync: " + line);
                err().flush();
            }

            @Override
            public void refused(String direction, String eventId, String reason) {
                StringBuilder sb = new StringBuilder("{\"direction\":");
                Json.appendQuoted(sb, direction);
                sb.append(",\"id\":");
                Json.appendQuoted(sb, eventId);
                sb.append(",\"accepted\":false,\"reason\":");
                Json.appendQuoted(sb, reason);
                out().write(sb.append("}\n").toString());
            }
        };
    }

    /** Fetched events into the store under the import rules (what {@code parrhesia import} applies). */
    private static final class StoreSink implements LocalSink {
        private final EventStore events;
        private final PolicyPipeline policy;
        private final VanishRequests vanish;

        StoreSink(EventStore events, PolicyPipeline policy, VanishRequests vanish) {
            this.events = events;
            this.policy = policy;
            this.vanish = vanish;
        }

        @Override
        public List<String> write(List<Event> batch) throws StoreException {
            long now = System.currentTimeMillis() / 1000;
            String[] out = new String[batch.size()];
            List<Event> plain = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Event e = batch.get(i);
                String refusal = ImportCommand.refusal(e, policy, vanish, now);
                if (refusal != null) {
                    out[i] = refusal;
                } else if (e.kind() == DeletionRequests.KIND || e.kind() == VanishRequests.KIND) {
                    writePlain(plain, slots, out);
                    out[i] = e.kind() == VanishRequests.KIND ? vanish(e) : status(events.writeDeletionRequest(e).status());
                } else {
                    plain.add(e);
                    slots.add(i);
                }
            }
            writePlain(plain, slots, out);
            return java.util.Arrays.asList(out);
        }

        private String vanish(Event e) throws StoreException {
            events.vanish(e.pubkey(), e.createdAt());
            return null;
        }

        private void writePlain(List<Event> plain, List<Integer> slots, String[] out) throws StoreException {
            if (plain.isEmpty()) {
                return;
            }
            List<WriteStatus> statuses = events.write(plain);
            for (int j = 0; j < plain.size(); j++) {
                out[slots.get(j)] = status(statuses.get(j));
            }
            plain.clear();
            slots.clear();
        }

        private static String status(WriteStatus s) {
            return switch (s) {
                case STORED, DUPLICATE, SUPERSEDED -> null;
                case DELETED -> "blocked: a NIP-09 deletion request or an operator ban covers this event";
                case VANISHED -> "blocked: its author asked this relay to vanish (NIP-62)";
            };
        }
    }
}
