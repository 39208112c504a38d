package nostr.relay.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import nostr.core.client.ReconcileResult;
import nostr.core.client.RelayClient;
import nostr.core.client.RelayException;
import nostr.core.client.Subscription;
import nostr.core.client.SubscriptionListener;
import nostr.core.event.Event;
import nostr.core.event.InvalidEventException;
import nostr.core.filter.Filter;
import nostr.core.negentropy.NegentropyArrayStorage;
import nostr.relay.store.EventStore;
import nostr.relay.store.Query;
import nostr.relay.store.StoreException;
import nostr.relay.store.Visibility;

/**
 * One sync of a local store with a remote relay (strfry's {@code sync}): the local items matching
 * the filter (read from the store, {@code EventStore.scanItems}) are reconciled with the remote's
 * over NIP-77 ({@link RelayClient#reconcile}); then {@code down} fetches the ids the remote has
 * with REQs by id in batches, checks that each event is one that was asked for and that its id
 * and signature are right, and hands the good ones to a {@link LocalSink}; {@code up} reads the
 * ids the remote lacks from the store and publishes them, a window of EVENTs at a time.
 *
 * <p>Every refused, invalid or undelivered event is reported to the {@link Listener} with its
 * reason; progress lines go to it too. Nothing here retries a failed connection: the sync fails
 * with the {@link RelayException} (the caller maps it to an exit code).
 */
public final class RemoteSync {

    /**
     * @param filter which events to sync (NIP-01 filter; its limit is ignored by NIP-77 relays such as this one)
     * @param frameSizeLimit largest negentropy message sent, bytes before hex (0: none)
     * @param fetchBatch ids per REQ
     * @param publishWindow EVENTs waiting for their OK at once
     * @param timeout how long each answer (negentropy round, EOSE, OK) may take
     */
    public record Options(Filter filter, Direction direction, long frameSizeLimit, int fetchBatch, int publishWindow,
                          Duration timeout) {
        public Options {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(direction, "direction");
            if (fetchBatch <= 0 || publishWindow <= 0) {
                throw new IllegalArgumentException("batch and window must be positive");
            }
        }
    }

    /** What the sync did. */
    public record Report(long localItems, long remoteOnly, long localOnly, int rounds, long reconcileMillis,
                         long fetched, long stored, long refusedDown, long invalid, long missing,
                         long published, long refusedUp) {
        /** True when every event went where it should. */
        public boolean complete() {
            return refusedDown == 0 && invalid == 0 && missing == 0 && refusedUp == 0;
        }
    }

    /** Hears of progress and of every event that did not make it. */
    public interface Listener {
        void progress(String line);

        /** @param direction "down" or "up" */
        void refused(String direction, String eventId, String reason);
    }

    private final EventStore local;
    private final RelayClient remote;
    private final LocalSink sink;
    private final Options options;
    private final Listener listener;
    private final long nowSeconds;

    public RemoteSync(EventStore local, RelayClient remote, LocalSink sink, Options options, Listener listener, long nowSeconds) {
        this.local = local;
        this.remote = remote;
        this.sink = sink;
        this.options = options;
        this.listener = listener;
        this.nowSeconds = nowSeconds;
    }

    /**
     * Runs the sync.
     *
     * @throws RelayException the remote is unreachable, does not support NIP-77, refused the
     *     reconciliation, or stopped answering
     */
    public Report run() throws Exception {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        local.scanItems(options.filter(), nowSeconds, Visibility.EVERYTHING, (createdAt, id, kind, expiresAt) -> {
            b.add(createdAt, id);
            return true;
        });
        NegentropyArrayStorage mine = b.seal();
        listener.progress("local store: " + mine.size() + " events match the filter; reconciling with " + remote.url());
        long started = System.nanoTime();
        ReconcileResult r = reconcile(mine);
        long reconcileMillis = (System.nanoTime() - started) / 1_000_000;
        listener.progress("reconciled in " + reconcileMillis + " ms, " + r.rounds() + " round(s): the relay has "
                + r.need().size() + " event(s) the local store lacks, the local store has " + r.have().size()
                + " the relay lacks");
        long[] down = {0, 0, 0, 0, 0};
        if (options.direction().down() && !r.need().isEmpty()) {
            down = fetch(r.need());
        }
        long[] up = {0, 0};
        if (options.direction().up() && !r.have().isEmpty()) {
            up = publish(r.have());
        }
        return new Report(mine.size(), r.need().size(), r.have().size(), r.rounds(), reconcileMillis,
                down[0], down[1], down[2], down[3], down[4], up[0], up[1]);
    }

    private ReconcileResult reconcile(NegentropyArrayStorage mine) throws Exception {
        try {
            // Each round has its own timeout in the client; no overall deadline for large sets.
            return remote.reconcile(options.filter(), mine, options.frameSizeLimit()).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RelayException re) {
                throw re;
            }
            throw e;
        }
    }

    // ---- down ---------------------------------------------------------------------------------------

    /** Returns fetched, stored, refused, invalid, missing. */
    private long[] fetch(List<String> need) throws Exception {
        long fetched = 0;
        long stored = 0;
        long refused = 0;
        long invalid = 0;
        List<String> missing = new ArrayList<>();
        long lastProgress = System.nanoTime();
        for (int from = 0; from < need.size(); from += options.fetchBatch()) {
            List<String> batch = need.subList(from, Math.min(need.size(), from + options.fetchBatch()));
            Map<String, Event> got = fetchBatch(batch);
            List<Event> good = new ArrayList<>();
            for (String id : batch) {
                Event e = got.get(id);
                if (e == null) {
                    missing.add(id);
                    continue;
                }
                fetched++;
                try {
                    e.verify();
                    good.add(e);
                } catch (InvalidEventException x) {
                    invalid++;
                    listener.refused("down", id, "invalid: the relay sent it with " + x.getMessage());
                }
            }
            long[] written = store(good);
            stored += written[0];
            refused += written[1];
            if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(2) || from + batch.size() >= need.size()) {
                lastProgress = System.nanoTime();
                listener.progress("down: " + Math.min(need.size(), from + batch.size()) + "/" + need.size() + " requested, "
                        + stored + " stored, " + (refused + invalid) + " refused, " + missing.size() + " not sent (yet)");
            }
        }
        // Relays may clamp a filter's limit below the batch: ask once more, in small batches, for what did not come.
        long missingCount = 0;
        if (!missing.isEmpty()) {
            List<String> again = new ArrayList<>(missing);
            for (int from = 0; from < again.size(); from += 20) {
                List<String> batch = again.subList(from, Math.min(again.size(), from + 20));
                Map<String, Event> got = fetchBatch(batch);
                List<Event> good = new ArrayList<>();
                for (String id : batch) {
                    Event e = got.get(id);
                    if (e == null) {
                        missingCount++;
                        listener.refused("down", id, "missing: the relay listed it in the reconciliation but did not send it");
                        continue;
                    }
                    fetched++;
                    try {
                        e.verify();
                        good.add(e);
                    } catch (InvalidEventException x) {
                        invalid++;
                        listener.refused("down", id, "invalid: the relay sent it with " + x.getMessage());
                    }
                }
                long[] written = store(good);
                stored += written[0];
                refused += written[1];
            }
        }
        return new long[] {fetched, stored, refused, invalid, missingCount};
    }

    /** Writes verified events oldest first (replaceable versions and deletion requests in time order); returns stored, refused. */
    private long[] store(List<Event> events) throws Exception {
        if (events.isEmpty()) {
            return new long[] {0, 0};
        }
        List<Event> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(Event::createdAt).thenComparing(Event::id));
        List<String> outcomes = sink.write(ordered);
        long stored = 0;
        long refused = 0;
        for (int i = 0; i < ordered.size(); i++) {
            String why = outcomes.get(i);
            if (why == null) {
                stored++;
            } else {
                refused++;
                listener.refused("down", ordered.get(i).id(), why);
            }
        }
        return new long[] {stored, refused};
    }

    /** One REQ for {@code ids}; the events the relay sent that were asked for (others are ignored), by id. */
    private Map<String, Event> fetchBatch(List<String> ids) throws Exception {
        Set<String> wanted = new HashSet<>(ids);
        Map<String, Event> got = new LinkedHashMap<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Subscription sub = remote.subscribe(List.of(Filter.builder().ids(ids).limit(ids.size()).build()), new SubscriptionListener() {
            @Override
            public void onEvent(String relayUrl, Event event) {
                if (wanted.contains(event.id())) {
                    synchronized (got) {
                        got.putIfAbsent(event.id(), event);
                    }
                }
            }

            @Override
            public void onEose() {
                done.countDown();
            }

            @Override
            public void onClosed(String relayUrl, String reason) {
                failure.set(new RelayException(RelayException.Kind.REFUSED, relayUrl + ": REQ by ids closed: " + reason));
                done.countDown();
            }

            @Override
            public void onFailure(String relayUrl, RelayException error) {
                failure.set(error);
                done.countDown();
            }
        });
        try {
            if (!done.await(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RelayException(RelayException.Kind.TIMEOUT, remote.url() + ": no EOSE within "
                        + options.timeout().toSeconds() + " s for a REQ of " + ids.size() + " ids");
            }
        } finally {
            sub.close();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        synchronized (got) {
            return new LinkedHashMap<>(got);
        }
    }

    // ---- up -----------------------------------------------------------------------------------------

    /** Returns published, refused. */
    private long[] publish(List<String> have) throws Exception {
        WindowedPublisher publisher = new WindowedPublisher(remote, options.publishWindow(), options.timeout());
        long published = 0;
        long refused = 0;
        long lastProgress = System.nanoTime();
        for (int from = 0; from < have.size(); from += options.fetchBatch()) {
            List<String> batch = have.subList(from, Math.min(have.size(), from + options.fetchBatch()));
            List<Event> events = read(batch);
            List<String> outcomes = publisher.publish(events);
            for (int i = 0; i < events.size(); i++) {
                if (outcomes.get(i) == null) {
                    published++;
                } else {
                    refused++;
                    listener.refused("up", events.get(i).id(), outcomes.get(i));
                }
            }
            if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(2) || from + batch.size() >= have.size()) {
                lastProgress = System.nanoTime();
                listener.progress("up: " + Math.min(have.size(), from + batch.size()) + "/" + have.size() + " read, "
                        + published + " accepted, " + refused + " refused");
            }
        }
        return new long[] {published, refused};
    }

    /** The stored events with these ids, oldest first (an id deleted meanwhile is skipped). */
    private List<Event> read(List<String> ids) throws StoreException {
        List<Event> out = new ArrayList<>(ids.size());
        Query q = new Query(List.of(new Query.Part(Filter.builder().ids(ids).build(), ids.size())), ids.size(), nowSeconds);
        List<String> raw = new ArrayList<>();
        local.query(q, stored -> raw.add(stored.json()));
        for (String json : raw) {
            try {
                out.add(Event.parse(json));
            } catch (InvalidEventException e) {
                listener.refused("up", "", "invalid: a stored event does not parse: " + e.getMessage());
            }
        }
        out.sort(Comparator.comparingLong(Event::createdAt).thenComparing(Event::id));
        return out;
    }
}
