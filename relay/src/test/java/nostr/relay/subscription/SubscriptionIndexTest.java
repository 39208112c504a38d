package nostr.relay.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nostr.core.event.Event;
import nostr.core.filter.Filter;

/**
 * The subscription index against brute force (NIP-01 filter semantics: filters OR-ed, fields
 * AND-ed): for random subscriptions and events, fan-out visits exactly the subscriptions with a
 * matching filter, each once, also after some are removed.
 */
class SubscriptionIndexTest {
    private static final List<String> HEX = List.of(hex('a'), hex('b'), hex('c'), hex('d'));
    private static final List<Integer> KINDS = List.of(0, 1, 7, 30023);
    private static final List<String> VALUES = List.of(hex('a'), hex('e'), "x", "y");

    private static String hex(char c) {
        return String.valueOf(c).repeat(64);
    }

    private static final Outbox NOWHERE = new Outbox() {
        @Override
        public boolean offer(byte[] message) {
            return true;
        }

        @Override
        public boolean offerDeferred(byte[] message) {
            return true;
        }

        @Override
        public void flush() {
        }

        @Override
        public boolean awaitRoom(long deadlineNanos) {
            return true;
        }
    };

    @Property(tries = 300)
    void nip01IndexVisitsExactlyTheMatchingSubscriptionsOnce(
            @ForAll("subscriptions") List<List<Filter>> subs, @ForAll("events") List<Event> events,
            @ForAll("removals") List<Boolean> remove) {
        SubscriptionIndex index = new SubscriptionIndex();
        List<Subscription> live = new ArrayList<>();
        List<Subscription> all = new ArrayList<>();
        for (int i = 0; i < subs.size(); i++) {
            Subscription s = new Subscription("s" + i, subs.get(i), NOWHERE, (x, m) -> { });
            index.add(s);
            all.add(s);
            live.add(s);
        }
        check(index, live, events);
        for (int i = 0; i < all.size(); i++) {
            if (remove.get(i % remove.size())) {
                index.remove(all.get(i));
                live.remove(all.get(i));
            }
        }
        check(index, live, events);
    }

    private static void check(SubscriptionIndex index, List<Subscription> live, List<Event> events) {
        for (Event e : events) {
            List<Subscription> visited = new ArrayList<>();
            index.forEachMatch(e, visited::add);
            Set<Subscription> expected = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Subscription s : live) {
                if (s.filters().stream().anyMatch(f -> f.matches(e))) {
                    expected.add(s);
                }
            }
            Set<Subscription> got = Collections.newSetFromMap(new IdentityHashMap<>());
            got.addAll(visited);
            assertEquals(visited.size(), got.size(), "a subscription was visited twice for " + e);
            assertEquals(expected, got, "for event " + e);
        }
    }

    @Provide
    Arbitrary<List<List<Filter>>> subscriptions() {
        return filter().list().ofMinSize(1).ofMaxSize(3).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Boolean>> removals() {
        return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(12);
    }

    private Arbitrary<Filter> filter() {
        Arbitrary<List<String>> ids = Arbitraries.of(HEX).list().ofMaxSize(2).injectNull(0.7);
        Arbitrary<List<String>> authors = Arbitraries.of(HEX).list().ofMaxSize(3).injectNull(0.5);
        Arbitrary<List<Integer>> kinds = Arbitraries.of(KINDS).list().ofMaxSize(2).injectNull(0.5);
        Arbitrary<Character> letter = Arbitraries.of('e', 'p', 't');
        Arbitrary<List<String>> values = Arbitraries.of(VALUES).list().ofMaxSize(2);
        Arbitrary<List<Object[]>> tags = Combinators.combine(letter, values).as((l, v) -> new Object[] {l, v})
                .list().ofMaxSize(2);
        Arbitrary<Long> since = Arbitraries.longs().between(0, 20).injectNull(0.7);
        Arbitrary<Long> until = Arbitraries.longs().between(0, 20).injectNull(0.7);
        return Combinators.combine(ids, authors, kinds, tags, since, until).as((i, a, k, t, s, u) -> {
            Filter.Builder b = Filter.builder();
            if (i != null) {
                b.ids(i);
            }
            if (a != null) {
                b.authors(a);
            }
            if (k != null) {
                b.kinds(k);
            }
            for (Object[] tag : t) {
                @SuppressWarnings("unchecked")
                List<String> v = (List<String>) tag[1];
                b.tag((Character) tag[0], v);
            }
            if (s != null) {
                b.since(s);
            }
            if (u != null) {
                b.until(u);
            }
            return b.build();
        });
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<String> name = Arbitraries.of("e", "p", "t", "alt", "E");
        Arbitrary<List<String>> tag = Combinators.combine(name, Arbitraries.of(VALUES)).as(List::of);
        Arbitrary<Event> event = Combinators.combine(Arbitraries.of(HEX), Arbitraries.of(HEX), Arbitraries.of(KINDS),
                Arbitraries.longs().between(0, 20), tag.list().ofMaxSize(3))
                .as((id, pubkey, kind, createdAt, tags) -> new Event(id, pubkey, createdAt, kind, tags, "", hex('f') + hex('f'), "{}"));
        return event.list().ofMinSize(1).ofMaxSize(8);
    }
}
