package nostr.relay.store;

import static nostr.relay.store.TestEvents.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;

/**
 * NIP-01 REQ semantics as a property: for random events (regular kinds, tags with repeated letters,
 * several values, upper case, NIP-40 expirations) and random REQs of one to three filters with
 * random limits, the store returns exactly what a model built on core's {@link Filter#matches}
 * computes: per filter the newest {@code limit} matching unexpired events, OR-ed, each once, in
 * NIP-01 order, cut at the total limit; and COUNT the size of the union. Each try writes its
 * events into its own time window and every filter is bounded to it, so tries share one storage.
 */
public abstract class QueryModelContract {
    static final long T = 1_700_000_000L;
    static final String[] LETTERS = {"e", "p", "t", "T"};
    static final String[] VALUES = {"a", "b", "c", "aa".repeat(32), "bb".repeat(32)};
    static final int[] KINDS = {1, 7, 1111, 40000};

    private final AtomicLong window = new AtomicLong();
    protected Storage storage;

    /** An empty storage of the adapter under test. */
    protected abstract Storage openFresh() throws Exception;

    /** Releases what {@link #openFresh()} made beyond the storage. */
    protected void cleanUp() throws Exception {}

    @BeforeProperty
    void open() throws Exception {
        storage = openFresh();
    }

    @AfterProperty
    void close() throws Exception {
        storage.close();
        cleanUp();
    }

    @Property(tries = 80)
    void nip01QueryResultsEqualTheFilterModel(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        long base = T + window.getAndIncrement() * 100;
        SecretKey[] keys = {SecretKey.generate(), SecretKey.generate(), SecretKey.generate()};
        List<Event> events = new ArrayList<>();
        int n = 5 + r.nextInt(30);
        for (int i = 0; i < n; i++) {
            List<List<String>> tags = new ArrayList<>();
            for (int t = r.nextInt(4); t > 0; t--) {
                List<String> tag = new ArrayList<>(List.of(pick(r, LETTERS)));
                for (int v = r.nextInt(3); v >= 0; v--) {
                    tag.add(pick(r, VALUES));
                }
                tags.add(tag);
            }
            if (r.nextInt(5) == 0) {
                tags.add(List.of("expiration", String.valueOf(base + r.nextInt(13))));
            }
            events.add(new EventTemplate(base + r.nextInt(10), KINDS[r.nextInt(KINDS.length)], tags, "c" + i)
                    .sign(keys[r.nextInt(keys.length)]));
        }
        for (int i = 0; i < events.size(); i += 7) {
            storage.events().write(events.subList(i, Math.min(events.size(), i + 7)));
        }

        List<Query.Part> parts = new ArrayList<>();
        for (int p = 1 + r.nextInt(3); p > 0; p--) {
            parts.add(new Query.Part(randomFilter(r, base, events, keys), r.nextInt(12)));
        }
        long now = base + r.nextInt(13);
        int totalLimit = r.nextInt(16);
        Query q = new Query(parts, totalLimit, now);

        Comparator<Event> nip01 = Comparator.comparingLong(Event::createdAt).reversed().thenComparing(Event::id);
        Set<Event> union = new LinkedHashSet<>();
        Set<Event> unlimited = new LinkedHashSet<>();
        for (Query.Part part : parts) {
            List<Event> matching = events.stream().filter(e -> part.filter().matches(e) && !e.isExpired(now))
                    .distinct().sorted(nip01).toList();
            unlimited.addAll(matching);
            union.addAll(matching.subList(0, Math.min(part.limit(), matching.size())));
        }
        List<String> expected = union.stream().sorted(nip01).limit(totalLimit).map(Event::id).toList();
        assertEquals(expected, ids(TestEvents.query(storage.events(), q)), "query " + parts);
        assertEquals(unlimited.size(), storage.events().count(parts.stream().map(Query.Part::filter).toList(), now),
                "count " + parts);
    }

    private static Filter randomFilter(Random r, long base, List<Event> events, SecretKey[] keys) {
        Filter.Builder b = Filter.builder();
        int since = r.nextInt(10);
        b.since(base + since).until(base + since + r.nextInt(12) - 2);
        if (r.nextInt(4) == 0) {
            List<String> ids = new ArrayList<>();
            for (int i = r.nextInt(4); i >= 0; i--) {
                ids.add(events.get(r.nextInt(events.size())).id());
            }
            b.ids(ids);
        }
        if (r.nextInt(3) == 0) {
            List<String> authors = new ArrayList<>();
            for (int i = r.nextInt(2); i >= 0; i--) {
                authors.add(keys[r.nextInt(keys.length)].publicKey().hex());
            }
            b.authors(authors);
        }
        if (r.nextInt(3) == 0) {
            List<Integer> kinds = new ArrayList<>();
            for (int i = r.nextInt(2); i >= 0; i--) {
                kinds.add(KINDS[r.nextInt(KINDS.length)]);
            }
            b.kinds(kinds);
        }
        for (int t = r.nextInt(3); t > 0; t--) {
            List<String> values = new ArrayList<>();
            for (int i = r.nextInt(3); i >= 0; i--) {
                values.add(pick(r, VALUES));
            }
            b.tag(pick(r, LETTERS).charAt(0), values);
        }
        return b.build();
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
