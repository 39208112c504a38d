package nostr.relay.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.InvalidEventException;
import nostr.core.event.KindClass;
import nostr.core.json.Json;
import nostr.relay.config.Limits;
import nostr.relay.config.RelayConfig;
import nostr.relay.deletion.DeletionRequests;
import nostr.relay.deletion.VanishRequests;
import nostr.relay.policy.ClientContext;
import nostr.relay.policy.ModerationLists;
import nostr.relay.policy.PolicyPipeline;
import nostr.relay.policy.WriteRequest;
import nostr.relay.store.EventStore;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;
import nostr.relay.store.WriteStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parrhesia import}: events as JSON lines (what {@code export} writes, or any dump) into the
 * store, through the relay's write rules: every event is parsed strictly and its id and signature
 * checked; the relay's write policy applies as {@link PolicyPipeline#forImport} says (sizes,
 * kind 22242, bans, access mode, kinds, expiry, MLS; not what belongs to a live connection, nor
 * proof of work: the operator vouches for the file, nor the created_at bounds); ephemeral kinds
 * are refused as the relay never stores them; replaceable and addressable kinds keep the newest
 * version; NIP-09 deletion
 * requests are stored and applied, and NIP-62 requests to vanish addressed to this relay applied,
 * in file order. Each refused line is reported as a JSON line on standard output with its line
 * number and the NIP-01 style reason, in line order; a summary goes to standard error. The raw
 * JSON text of each event is stored as it is in the file, byte for byte.
 *
 * <p>On SQLite it takes the data directory lock: it refuses to run while the relay runs on the same
 * directory (one writer). On PostgreSQL it may run beside relays (the store resolves concurrent
 * writers), but their subscribers are not told of imported events.
 */
@Command(name = "import", mixinStandardHelpOptions = true, version = "parrhesia 0.1.0-SNAPSHOT",
        description = {"Verifies and stores events given as JSON lines (files, or standard input when none or '-').",
                "Refused events are printed as JSON lines with the reason; exit 1 when there were any."})
final class ImportCommand extends ToolCommand {
    /** Events written per transaction. */
    static final int BATCH = 500;

    @Mixin
    StoreOptions store;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "JSON lines files ('-' for standard input)")
    List<String> files = new ArrayList<>();

    @Option(names = "--relay-url", paramLabel = "URL",
            description = "this relay's public ws(s) URL, for NIP-62 relay tags (default: relay_url, else ws://host:port/)")
    String relayUrl;

    private long read;
    private long stored;
    private long duplicate;
    private long superseded;
    private long rejected;
    private long removedByRequests;
    private long vanishRequests;

    /**
     * One line waiting in a batch: where it came from, the parsed event (null when it did not
     * parse) and why it is refused (null while it may be written). Reports come out in line order.
     */
    private record Pending(String source, long line, Event event, String refusal) {
        String id() {
            return event == null ? null : event.id();
        }
    }

    @Override
    int run() throws Exception {
        RelayConfig cfg = store.load();
        String url = relayUrl != null ? relayUrl : cfg.publicUrl(cfg.port());
        VanishRequests vanish = new VanishRequests(() -> url);
        List<String> inputs = files.isEmpty() ? List.of("-") : files;
        for (String f : inputs) {
            if (!f.equals("-") && !Files.isReadable(Path.of(f))) {
                throw ToolFailure.usage("cannot read " + f);
            }
        }
        try (DataDirLock lock = StoreOptions.lockForWriting(cfg, "importing");
             Storage storage = StoreOptions.open(cfg)) {
            ModerationLists lists;
            try {
                lists = ModerationLists.load(storage, cfg.policy().accessMode() == nostr.relay.config.PolicyConfig.AccessMode.MEMBERS);
            } catch (StoreException e) {
                throw ToolFailure.unavailable("cannot read the moderation lists: " + e.getMessage());
            }
            PolicyPipeline policy = importPolicy(cfg, lists);
            for (String f : inputs) {
                try (BufferedReader r = f.equals("-")
                        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)
                        : Files.newBufferedReader(Path.of(f), StandardCharsets.UTF_8)) {
                    importLines(f.equals("-") ? "stdin" : f, r, storage.events(), policy, vanish);
                } catch (StoreException e) {
                    throw ToolFailure.unavailable("the store failed after " + read + " lines (" + stored
                            + " stored; the failed batch was not): " + e.getMessage());
                } catch (IOException e) {
                    throw ToolFailure.unavailable("cannot read " + f + " after " + read + " lines: " + e.getMessage());
                }
            }
        }
        out().flush();
        err().println("parrhesia import: read " + read + ", stored " + stored + ", duplicate " + duplicate
                + ", superseded " + superseded + ", rejected " + rejected + ", requests to vanish applied "
                + vanishRequests + ", events removed by deletion and vanish requests " + removedByRequests);
        err().flush();
        return rejected == 0 ? ToolExit.OK : ToolExit.NEGATIVE;
    }

    private void importLines(String source, BufferedReader r, EventStore events, PolicyPipeline policy, VanishRequests vanish)
            throws IOException, StoreException {
        List<Pending> batch = new ArrayList<>();
        long lineNo = 0;
        String line;
        long now = System.currentTimeMillis() / 1000;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            read++;
            Event e;
            try {
                e = Event.parse(line.strip());
            } catch (InvalidEventException x) {
                batch.add(new Pending(source, lineNo, null, "invalid: " + x.getMessage()));
                continue;
            }
            String refusal = refusal(e, policy, vanish, now);
            if (refusal == null && (e.kind() == DeletionRequests.KIND || e.kind() == VanishRequests.KIND)) {
                // In file order: what came before is written first.
                flush(batch, events);
                request(new Pending(source, lineNo, e, null), events);
                continue;
            }
            batch.add(new Pending(source, lineNo, e, refusal));
            if (batch.size() >= BATCH) {
                flush(batch, events);
            }
        }
        flush(batch, events);
    }

    /**
     * The write policy for events that arrive other than from a client (import, sync): the relay's
     * limits, except the created_at bounds (imported history is old by nature).
     */
    static PolicyPipeline importPolicy(RelayConfig cfg, ModerationLists lists) {
        Limits l = cfg.limits();
        return PolicyPipeline.forImport(new Limits(l.maxMessageLength(), l.maxSubscriptions(),
                l.maxFilters(), l.maxLimit(), l.defaultLimit(), l.maxSubidLength(), l.maxEventTags(), l.maxContentLength(),
                l.maxReqEvents(), 0, 0, l.eventRate(), l.eventBurst()), cfg.policy(), () -> lists);
    }

    /** Null when the event may be written, else the relay's OK false message. */
    static String refusal(Event e, PolicyPipeline policy, VanishRequests vanish, long now) {
        PolicyPipeline.Refusal p = policy.check(new WriteRequest(e, ClientContext.anonymous(), now, now * 1_000_000_000L));
        if (p != null) {
            return p.message();
        }
        if (e.kindClass() == KindClass.EPHEMERAL) {
            return "invalid: ephemeral events (kinds 20000-29999) are never stored";
        }
        if (e.kind() == DeletionRequests.KIND) {
            return DeletionRequests.check(e);
        }
        if (e.kind() == VanishRequests.KIND) {
            return vanish.check(e);
        }
        return null;
    }

    /**
     * Verifies ids and signatures (in parallel), writes the valid events in one transaction, then
     * reports every line of the batch in order.
     */
    private void flush(List<Pending> batch, EventStore events) throws StoreException {
        if (batch.isEmpty()) {
            return;
        }
        List<Pending> checked = batch.parallelStream().map(p -> {
            if (p.refusal() != null) {
                return p;
            }
            try {
                p.event().verify();
                return p;
            } catch (InvalidEventException x) {
                return new Pending(p.source(), p.line(), p.event(), "invalid: " + x.getMessage());
            }
        }).toList();
        List<Event> valid = checked.stream().filter(p -> p.refusal() == null).map(Pending::event).toList();
        List<WriteStatus> statuses = valid.isEmpty() ? List.of() : events.write(valid);
        int next = 0;
        for (Pending p : checked) {
            if (p.refusal() != null) {
                reject(p.source(), p.line(), p.id(), p.refusal());
            } else {
                count(p, statuses.get(next++));
            }
        }
        batch.clear();
    }

    private void request(Pending p, EventStore events) throws StoreException {
        try {
            p.event().verify();
        } catch (InvalidEventException x) {
            reject(p.source(), p.line(), p.id(), "invalid: " + x.getMessage());
            return;
        }
        if (p.event().kind() == VanishRequests.KIND) {
            // NIP-62: applied, not stored (as the relay does).
            removedByRequests += events.vanish(p.event().pubkey(), p.event().createdAt());
            vanishRequests++;
            return;
        }
        EventStore.Applied a = events.writeDeletionRequest(p.event());
        removedByRequests += a.removed();
        count(p, a.status());
    }

    private void count(Pending p, WriteStatus s) {
        switch (s) {
            case STORED -> stored++;
            case DUPLICATE -> duplicate++;
            case SUPERSEDED -> superseded++;
            case DELETED -> reject(p.source(), p.line(), p.event().id(),
                    "blocked: a NIP-09 deletion request or an operator ban covers this event");
            case VANISHED -> reject(p.source(), p.line(), p.event().id(),
                    "blocked: its author asked this relay to vanish (NIP-62)");
        }
    }

    private void reject(String source, long line, String id, String reason) {
        rejected++;
        StringBuilder sb = new StringBuilder("{\"source\":");
        Json.appendQuoted(sb, source);
        sb.append(",\"line\":").append(line);
        if (id != null) {
            sb.append(",\"id\":");
            Json.appendQuoted(sb, id);
        }
        sb.append(",\"accepted\":false,\"reason\":");
        Json.appendQuoted(sb, reason);
        out().write(sb.append("}\n").toString());
    }
}
