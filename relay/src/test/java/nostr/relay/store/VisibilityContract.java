package nostr.relay.store;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.ids;
import static nostr.relay.store.TestEvents.nip01Order;
import static nostr.relay.store.TestEvents.query;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * The read restrictions the relay hands the store ({@link Visibility}: NIP-42 kinds hidden from
 * unauthenticated readers, NIP-59 gift wraps only for their p-tagged recipients) applied inside
 * each filter before its limit, in queries and counts; and {@link EventStore#purgeKindOlderThan}
 * (MLS group event retention). Expected results are computed from the events written, with
 * {@link Filter#matches} and the visibility rule, never read back from the store.
 */
public abstract class VisibilityContract extends StorageContract {
    static final long T = 1_700_000_000L;
    static final long NOW = T + 100_000;
    static final int WRAP = 1059;

    protected final SecretKey alice = SecretKey.generate();
    protected final SecretKey bob = SecretKey.generate();
    protected final SecretKey carol = SecretKey.generate();
    protected final SecretKey wrapper = SecretKey.generate();
    protected EventStore store;

    @Override
    protected void opened() {
        store = storage.events();
    }

    private String pk(SecretKey k) {
        return k.publicKey().hex();
    }

    /** The newest {@code limit} events of {@code all} that match {@code f} and {@code v}, computed in the test. */
    private static List<String> expected(List<Event> all, Filter f, Visibility v, int limit) {
        List<Event> visible = new ArrayList<>();
        for (Event e : all) {
            if (f.matches(e) && v.admits(e)) {
                visible.add(e);
            }
        }
        List<String> order = nip01Order(visible);
        return order.subList(0, Math.min(limit, order.size()));
    }

    private List<Event> mixedTimeline() throws Exception {
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // Newest events are gift wraps for bob: a post-filter after LIMIT would return fewer than asked.
            all.add(event(wrapper, WRAP, T + 100 + i, "ciphertext " + i, tag("p", pk(bob))));
        }
        all.add(event(wrapper, WRAP, T + 50, "for alice", tag("p", pk(alice))));
        all.add(event(wrapper, WRAP, T + 51, "for carol and alice", tag("p", pk(carol)), tag("p", pk(alice))));
        for (int i = 0; i < 6; i++) {
            all.add(event(carol, 1, T + 10 + i, "note " + i));
            all.add(event(carol, 4, T + 20 + i, "dm " + i, tag("p", pk(alice))));
        }
        store.write(all);
        return all;
    }

    @Test
    void nip59GiftWrapsAreOnlyVisibleToTheirRecipientsBeforeTheLimit() throws Exception {
        List<Event> all = mixedTimeline();
        Visibility asAlice = new Visibility(Set.of(), Set.of(WRAP), Set.of(pk(alice)));
        Filter any = Filter.builder().build();
        List<String> got = ids(query(store, any, 5, NOW));
        assertEquals(expected(all, any, Visibility.EVERYTHING, 5), got, "no restriction: bob's newest wraps come first");
        List<String> alices = ids(TestEvents.query(store, new Query(List.of(new Query.Part(any, 5)), 5, NOW, asAlice)));
        assertEquals(expected(all, any, asAlice, 5), alices);
        assertEquals(5, alices.size(), "the limit counts only visible events");
        Filter wraps = Filter.builder().kinds(WRAP).build();
        List<String> aliceWraps = ids(TestEvents.query(store, new Query(List.of(new Query.Part(wraps, 50)), 50, NOW, asAlice)));
        assertEquals(expected(all, wraps, asAlice, 50), aliceWraps);
        assertEquals(2, aliceWraps.size(), "her own wrap and the one naming her among others");
        Visibility nobody = new Visibility(Set.of(), Set.of(WRAP), Set.of());
        assertEquals(List.of(), ids(TestEvents.query(store, new Query(List.of(new Query.Part(wraps, 50)), 50, NOW, nobody))));
    }

    @Test
    void nip42HiddenKindsAreLeftOutOfFiltersThatDoNotNameThem() throws Exception {
        List<Event> all = mixedTimeline();
        Visibility anonymous = new Visibility(Set.of(4), Set.of(WRAP), Set.of());
        Filter byCarol = Filter.builder().authors(pk(carol)).build();
        List<String> got = ids(TestEvents.query(store, new Query(List.of(new Query.Part(byCarol, 4)), 4, NOW, anonymous)));
        assertEquals(expected(all, byCarol, anonymous, 4), got);
        assertTrue(got.stream().allMatch(id -> all.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow().kind() == 1));
        // Tag-driven and kind-driven plans carry the condition too.
        Filter toAlice = Filter.builder().tag('p', pk(alice)).build();
        assertEquals(expected(all, toAlice, anonymous, 50),
                ids(TestEvents.query(store, new Query(List.of(new Query.Part(toAlice, 50)), 50, NOW, anonymous))));
        Filter kinds = Filter.builder().kinds(1, 4, WRAP).build();
        assertEquals(expected(all, kinds, anonymous, 50),
                ids(TestEvents.query(store, new Query(List.of(new Query.Part(kinds, 50)), 50, NOW, anonymous))));
    }

    @Test
    void nip45CountsOnlyVisibleEvents() throws Exception {
        List<Event> all = mixedTimeline();
        Visibility asAlice = new Visibility(Set.of(), Set.of(WRAP), Set.of(pk(alice)));
        Visibility anonymous = new Visibility(Set.of(4), Set.of(WRAP), Set.of());
        List<Filter> filters = List.of(Filter.builder().kinds(WRAP).build(), Filter.builder().authors(pk(carol)).build());
        for (Visibility v : List.of(Visibility.EVERYTHING, asAlice, anonymous)) {
            long expected = all.stream().filter(e -> filters.stream().anyMatch(f -> f.matches(e)) && v.admits(e)).count();
            assertEquals(expected, store.count(filters, NOW, v), v.toString());
        }
        assertEquals(all.size(), store.count(List.of(Filter.builder().build()), NOW));
    }

    @Test
    void mlsPurgeKindOlderThanRemovesOnlyThatKindBeforeTheCutoff() throws Exception {
        Event old445 = event(alice, 445, T - 10, "old group event", tag("h", "g"));
        Event edge445 = event(bob, 445, T, "exactly at the cutoff", tag("h", "g"));
        Event new445 = event(carol, 445, T + 10, "new group event", tag("h", "g"));
        Event old1 = event(alice, 1, T - 10, "old note");
        Event old443 = event(alice, 443, T - 10, "key package", tag("mls_protocol_version", "1.0"));
        store.write(List.of(old445, edge445, new445, old1, old443));
        assertEquals(1, store.purgeKindOlderThan(445, T));
        Filter everything = Filter.builder().build();
        assertEquals(Set.of(edge445.id(), new445.id(), old1.id(), old443.id()),
                Set.copyOf(ids(query(store, everything, 50, NOW))));
        assertEquals(List.of(), ids(query(store, Filter.builder().tag('h', "g").until(T - 1).build(), 50, NOW)),
                "its tag rows are gone too");
        assertEquals(0, store.purgeKindOlderThan(445, T), "nothing left to purge");
        closeAndReopen();
        assertEquals(4, store.count(List.of(everything), NOW));
        assertThrows(IllegalArgumentException.class, () -> store.purgeKindOlderThan(70_000, T));
    }

    @Test
    void mlsPurgeKindOlderThanWorksInChunksOnLargeBacklogs() throws Exception {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 5200; i++) {
            batch.add(event(wrapper, 445, T - 1000 + (i % 500), "e" + i, tag("h", "g")));
        }
        store.write(batch);
        Event kept = event(wrapper, 445, T + 1, "kept", tag("h", "g"));
        store.write(List.of(kept));
        assertEquals(5200, store.purgeKindOlderThan(445, T));
        assertEquals(List.of(kept.id()), ids(query(store, Filter.builder().kinds(445).build(), 10, NOW)));
    }

    @Test
    void nip01ReplaceableKind10051KeepsTheNewestVersion() throws Exception {
        Event v1 = event(alice, 10051, T, "", tag("relay", "wss://a.example"));
        Event v2 = event(alice, 10051, T + 1, "", tag("relay", "wss://b.example"));
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED), store.write(List.of(v1, v2)));
        assertEquals(List.of(v2.id()), ids(query(store, Filter.builder().kinds(10051).authors(pk(alice)).build(), 10, NOW)));
        assertEquals(List.of(WriteStatus.SUPERSEDED), store.write(List.of(v1)));
    }
}
