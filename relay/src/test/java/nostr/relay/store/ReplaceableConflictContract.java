package nostr.relay.store;

import static nostr.relay.store.TestEvents.ids;
import static nostr.relay.store.TestEvents.nip01Order;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;

/**
 * NIP-01 replaceable and addressable conflict resolution, as a property: for random sequences of
 * events over a few addresses (ties on created_at, re-sent events, regular events mixed in) written
 * in random batch sizes, every status and the final stored set equal those of a simple model kept
 * here (a map from address to the winning event). Each try uses fresh keys, so tries share one
 * storage without seeing each other.
 */
public abstract class ReplaceableConflictContract {
    static final long T = 1_700_000_000L;

    protected Storage storage;

    /** An empty storage of the adapter under test. */
    protected abstract Storage openFresh() throws Exception;

    /** Releases what {@link #openFresh()} made beyond the storage (e.g. a temporary directory). */
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

    /** One generated write: author 0/1, a kind, a d tag (or none), a time offset, a content seed, or a re-send. */
    record Step(int author, int kind, String d, int dt, int content, int resend) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 1),
                Arbitraries.of(0, 3, 10002, 30023, 30023, 30030, 1),
                Arbitraries.of("a", "b", "", "none"),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(-8, 24)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 60)
    void nip01ReplaceableAndAddressableConflictsResolveLikeTheModel(@ForAll("steps") List<Step> steps,
                                                                     @ForAll @IntRange(min = 1, max = 7) int batchSize)
            throws Exception {
        SecretKey[] keys = {SecretKey.generate(), SecretKey.generate()};
        List<Event> events = new ArrayList<>();
        for (Step s : steps) {
            if (s.resend() >= 0 && s.resend() < events.size()) {
                events.add(events.get(s.resend()));
                continue;
            }
            List<List<String>> tags = new ArrayList<>();
            if (!s.d().equals("none")) {
                tags.add(List.of("d", s.d()));
            }
            events.add(new EventTemplate(T + s.dt(), s.kind(), tags, "c" + s.content()).sign(keys[s.author()]));
        }

        // The model: the winner per address, every regular event once.
        Map<String, Event> heads = new HashMap<>();
        Set<String> regular = new HashSet<>();
        List<Event> regularEvents = new ArrayList<>();
        List<WriteStatus> expected = new ArrayList<>();
        for (Event e : events) {
            boolean replaceable = e.kind() == 0 || e.kind() == 3 || (e.kind() >= 10000 && e.kind() < 20000);
            boolean addressable = e.kind() >= 30000 && e.kind() < 40000;
            if (!replaceable && !addressable) {
                if (regular.add(e.id())) {
                    regularEvents.add(e);
                    expected.add(WriteStatus.STORED);
                } else {
                    expected.add(WriteStatus.DUPLICATE);
                }
                continue;
            }
            String d = "";
            if (addressable) {
                for (List<String> t : e.tags()) {
                    if (t.get(0).equals("d") && t.size() > 1) {
                        d = t.get(1);
                        break;
                    }
                }
            }
            String address = e.pubkey() + ":" + e.kind() + ":" + d;
            Event head = heads.get(address);
            if (head != null && head.id().equals(e.id())) {
                expected.add(WriteStatus.DUPLICATE);
            } else if (head == null || e.createdAt() > head.createdAt()
                    || (e.createdAt() == head.createdAt() && e.id().compareTo(head.id()) < 0)) {
                heads.put(address, e);
                expected.add(WriteStatus.STORED);
            } else {
                expected.add(WriteStatus.SUPERSEDED);
            }
        }

        List<WriteStatus> actual = new ArrayList<>();
        for (int i = 0; i < events.size(); i += batchSize) {
            actual.addAll(storage.events().write(events.subList(i, Math.min(events.size(), i + batchSize))));
        }
        assertEquals(expected, actual);

        List<Event> kept = new ArrayList<>(regularEvents);
        kept.addAll(heads.values());
        Filter mine = Filter.builder().authors(keys[0].publicKey().hex(), keys[1].publicKey().hex()).build();
        assertEquals(nip01Order(kept), ids(TestEvents.query(storage.events(), mine, 1000, T + 10)));
    }
}
