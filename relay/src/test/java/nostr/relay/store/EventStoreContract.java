package nostr.relay.store;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.ids;
import static nostr.relay.store.TestEvents.idsOf;
import static nostr.relay.store.TestEvents.nip01Order;
import static nostr.relay.store.TestEvents.query;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * The event storage contract every adapter passes: NIP-01 storage rules (replaceable and
 * addressable kinds, duplicate ids, filter semantics, order, limits), NIP-40 expiry on reads,
 * streaming, raw JSON kept byte for byte, and durability across a close and reopen.
 * Subclasses provide a fresh storage per test.
 */
public abstract class EventStoreContract extends StorageContract {
    protected static final long T = 1_700_000_000L;
    /** "now" for queries: after every created_at the tests use. */
    protected static final long NOW = T + 100_000;

    protected final SecretKey alice = SecretKey.generate();
    protected final SecretKey bob = SecretKey.generate();
    protected EventStore store;

    @Override
    protected void opened() {
        store = storage.events();
    }

    protected List<WriteStatus> write(Event... events) throws StoreException {
        return store.write(List.of(events));
    }

    protected List<StoredEvent> all() throws StoreException {
        return query(store, Filter.builder().build(), 10_000, NOW);
    }

    // ---- writing -----------------------------------------------------------------------------

    @Test
    void nip01StoredEventIsReturnedById() throws Exception {
        Event e = event(alice, 1, T, "hello");
        assertEquals(List.of(WriteStatus.STORED), write(e));
        Optional<StoredEvent> got = store.get(e.id());
        assertTrue(got.isPresent());
        assertEquals(new StoredEvent(e.id(), e.pubkey(), T, 1, e.json()), got.get());
        assertTrue(store.get("00".repeat(32)).isEmpty());
        assertEquals(1, store.size());
    }

    @Test
    void nip01RawJsonIsReturnedByteIdenticalWithFieldOrderAndSpacingKept() throws Exception {
        Event signed = event(alice, 1, T, "caf\u00e9 \ud83c\udf89 \"quoted\" \\ back\nslash\u0001", tag("t", "x y"));
        // The same event as a client might send it: fields reordered, odd spacing, an extra field.
        String raw = "{ \"content\" : " + quoted(signed.content()) + " ,\n\t\"kind\":1,\"sig\":\"" + signed.sig()
                + "\",  \"id\":\"" + signed.id() + "\",\"x\":[1, {\"y\": null}],\"created_at\":" + T
                + ",\"pubkey\":\"" + signed.pubkey() + "\",\"tags\":[ [\"t\",\"x y\"] ] }";
        Event e = Event.parse(raw);
        assertTrue(e.isValid());
        assertEquals(List.of(WriteStatus.STORED), write(e));
        assertEquals(raw, store.get(e.id()).orElseThrow().json());
        assertEquals(List.of(raw), all().stream().map(StoredEvent::json).toList());
    }

    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(ch < 0x20 ? String.format("\\u%04X", (int) ch) : String.valueOf(ch));
            }
        }
        return sb.append('"').toString();
    }

    @Test
    void nip01DuplicateIdIsReportedDuplicateInLaterAndSameBatch() throws Exception {
        Event e = event(alice, 1, T, "once");
        Event r = event(alice, 0, T, "{}");
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.DUPLICATE, WriteStatus.STORED, WriteStatus.DUPLICATE),
                write(e, e, r, r));
        assertEquals(List.of(WriteStatus.DUPLICATE, WriteStatus.DUPLICATE), write(e, r));
        assertEquals(2, store.size());
    }

    @Test
    void emptyBatchWritesNothing() throws Exception {
        assertEquals(List.of(), store.write(List.of()));
        assertEquals(0, store.size());
    }

    @Test
    void nip01ReplaceableKeepsOnlyTheNewestPerPubkeyAndKind() throws Exception {
        Event old = event(alice, 0, T, "{\"name\":\"old\"}");
        Event mid = event(alice, 0, T + 5, "{\"name\":\"mid\"}");
        Event newest = event(alice, 0, T + 10, "{\"name\":\"new\"}");
        Event otherKind = event(alice, 3, T, "");
        Event otherAuthor = event(bob, 0, T, "{}");
        Event list = event(alice, 10002, T, "");
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED), write(old, mid));
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.SUPERSEDED, WriteStatus.STORED, WriteStatus.STORED,
                WriteStatus.STORED), write(newest, old, otherKind, otherAuthor, list));
        assertTrue(store.get(old.id()).isEmpty());
        assertTrue(store.get(mid.id()).isEmpty());
        assertEquals(nip01Order(List.of(newest, otherKind, otherAuthor, list)), ids(all()));
        // re-sending a superseded version later is still SUPERSEDED; the stored one is a DUPLICATE
        assertEquals(List.of(WriteStatus.SUPERSEDED, WriteStatus.DUPLICATE), write(mid, newest));
    }

    @Test
    void nip01VersionReplacedEarlierInTheSameBatchIsSupersededWhenResent() throws Exception {
        // Found by ReplaceableConflictContract: the replaced version's id was still claimed.
        Event old = event(alice, 10002, T, "old");
        Event newer = event(alice, 10002, T + 1, "new");
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED, WriteStatus.SUPERSEDED), write(old, newer, old));
        Event a = event(bob, 3, T, "a");
        write(a);
        Event b = event(bob, 3, T + 1, "b");
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.SUPERSEDED), write(b, a));
        assertEquals(nip01Order(List.of(b, newer)), ids(all()));
    }

    @Test
    void nip01ReplaceableTieOnCreatedAtGoesToTheLowestId() throws Exception {
        Event a = event(alice, 10000, T, "a");
        Event b = event(alice, 10000, T, "b");
        Event low = a.id().compareTo(b.id()) < 0 ? a : b;
        Event high = low == a ? b : a;
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED), write(high, low));
        assertEquals(List.of(low.id()), ids(all()));
        assertEquals(List.of(WriteStatus.SUPERSEDED), write(high));
        assertEquals(List.of(low.id()), ids(all()));
    }

    @Test
    void nip01TieGoesToLowestIdWhenTheLowerArrivesFirst() throws Exception {
        Event a = event(alice, 30000, T, "a", tag("d", "x"));
        Event b = event(alice, 30000, T, "b", tag("d", "x"));
        Event low = a.id().compareTo(b.id()) < 0 ? a : b;
        Event high = low == a ? b : a;
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.SUPERSEDED), write(low, high));
        assertEquals(List.of(low.id()), ids(all()));
    }

    @Test
    void nip01AddressableKeepsNewestPerDTagWithMissingDTagAsEmpty() throws Exception {
        Event x1 = event(alice, 30023, T, "x1", tag("d", "x"));
        Event x2 = event(alice, 30023, T + 1, "x2", tag("d", "x"));
        Event y = event(alice, 30023, T, "y", tag("d", "y"));
        Event noD = event(alice, 30023, T, "no d");
        Event emptyD = event(alice, 30023, T + 1, "empty d", tag("d", ""));
        Event bobX = event(bob, 30023, T, "bob x", tag("d", "x"));
        Event otherKindX = event(alice, 30024, T, "30024 x", tag("d", "x"));
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED, WriteStatus.STORED, WriteStatus.STORED,
                WriteStatus.STORED, WriteStatus.STORED, WriteStatus.STORED), write(x1, x2, y, noD, emptyD, bobX, otherKindX));
        assertEquals(nip01Order(List.of(x2, y, emptyD, bobX, otherKindX)), ids(all()));
        // the d tag is the first d tag's value
        Event twoD = event(alice, 30023, T + 2, "two d", tag("d", "y"), tag("d", "x"));
        assertEquals(List.of(WriteStatus.STORED), write(twoD));
        assertTrue(store.get(y.id()).isEmpty());
        assertTrue(store.get(x2.id()).isPresent());
    }

    @Test
    void nip01RegularKindsKeepEveryVersion() throws Exception {
        Event a = event(alice, 1, T, "a");
        Event b = event(alice, 1, T + 1, "b");
        Event c = event(alice, 40000, T, "c", tag("d", "x"));
        Event d = event(alice, 40000, T + 1, "d", tag("d", "x"));
        write(a, b, c, d);
        assertEquals(4, store.size());
    }

    @Test
    void nip01ExtremeTimestampsAreStoredAndOrdered() throws Exception {
        Event zero = event(alice, 1, 0, "epoch");
        Event max = event(alice, 1, nostr.core.event.EventJson.MAX_CREATED_AT, "far future");
        Event normal = event(alice, 1, T, "now");
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED, WriteStatus.STORED), write(zero, max, normal));
        assertEquals(List.of(max.id(), normal.id(), zero.id()), ids(query(store, Filter.builder().build(), 10, 0)));
        assertEquals(List.of(zero.id()), ids(query(store, Filter.builder().until(0).build(), 10, 0)));
    }

    @Test
    void nip01LongTagValuesAreIndexedAndMatchExactly() throws Exception {
        String longValue = "x".repeat(5000);
        String sameStart = "x".repeat(4999) + "y";
        Event a = event(alice, 1, T, "a", tag("r", longValue));
        Event b = event(alice, 1, T + 1, "b", tag("r", sameStart));
        Event c = event(alice, 30000, T, "c", tag("d", longValue));
        Event c2 = event(alice, 30000, T + 1, "c2", tag("d", longValue));
        Event c3 = event(alice, 30000, T + 1, "c3", tag("d", sameStart));
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED, WriteStatus.STORED, WriteStatus.STORED,
                WriteStatus.STORED), write(a, b, c, c2, c3));
        assertEquals(List.of(a.id()), ids(query(store, Filter.builder().tag('r', longValue).build(), 10, NOW)));
        assertEquals(List.of(b.id()), ids(query(store, Filter.builder().tag('r', sameStart).build(), 10, NOW)));
        assertEquals(List.of(c2.id()), ids(query(store, Filter.builder().tag('d', longValue).build(), 10, NOW)));
        assertTrue(store.get(c.id()).isEmpty());
        assertTrue(store.get(c3.id()).isPresent());
    }

    @Test
    void nip01TagValuesWithNulAndOddCharactersNeverFailTheBatch() throws Exception {
        Event nul = event(alice, 1, T, "nul", tag("t", "a\u0000b"), tag("t", "\ud800"), tag("t", "\udc00"));
        Event addr = event(alice, 30000, T, "nul d", tag("d", "\u0000"));
        Event plain = event(alice, 1, T + 1, "plain", tag("t", "ab"));
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED, WriteStatus.STORED), write(nul, addr, plain));
        assertEquals(List.of(nul.id()), ids(query(store, Filter.builder().tag('t', "a\u0000b").build(), 10, NOW)));
        assertEquals(List.of(addr.id()), ids(query(store, Filter.builder().tag('d', "\u0000").build(), 10, NOW)));
        assertEquals(List.of(plain.id()), ids(query(store, Filter.builder().tag('t', "ab").build(), 10, NOW)));
        assertEquals(List.of(WriteStatus.SUPERSEDED), write(event(alice, 30000, T - 1, "older", tag("d", "\u0000"))));
    }

    // ---- reading -----------------------------------------------------------------------------

    @Test
    void nip01ResultsAreOrderedByCreatedAtDescendingThenIdAscending() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(event(i % 2 == 0 ? alice : bob, 1, T + (i % 3), "n" + i));
        }
        store.write(events);
        assertEquals(nip01Order(events), ids(all()));
        assertEquals(nip01Order(events), ids(query(store, Filter.builder().kinds(1).build(), 100, NOW)));
        assertEquals(nip01Order(events.stream().filter(e -> e.pubkey().equals(alice.publicKey().hex())).toList()),
                ids(query(store, Filter.builder().authors(alice.publicKey().hex()).build(), 100, NOW)));
    }

    @Test
    void nip01SinceAndUntilAreInclusive() throws Exception {
        Event e0 = event(alice, 1, T, "0");
        Event e1 = event(alice, 1, T + 1, "1");
        Event e2 = event(alice, 1, T + 2, "2");
        Event e3 = event(alice, 1, T + 3, "3", tag("t", "x"));
        write(e0, e1, e2, e3);
        assertEquals(List.of(e3.id(), e2.id(), e1.id()),
                ids(query(store, Filter.builder().since(T + 1).until(T + 3).build(), 100, NOW)));
        assertEquals(List.of(e2.id()), ids(query(store, Filter.builder().since(T + 2).until(T + 2).kinds(1).build(), 100, NOW)));
        assertEquals(List.of(), ids(query(store, Filter.builder().since(T + 3).until(T + 2).build(), 100, NOW)));
        assertEquals(List.of(e3.id()), ids(query(store, Filter.builder().since(T + 3).tag('t', "x").build(), 100, NOW)));
        assertEquals(List.of(), ids(query(store, Filter.builder().until(T + 2).tag('t', "x").build(), 100, NOW)));
    }

    @Test
    void nip01TagFiltersMatchTheFirstValueOfAnyTagWithThatLetter() throws Exception {
        String x = "aa".repeat(32);
        String y = "bb".repeat(32);
        Event first = event(alice, 1, T, "first value x", tag("e", x, y));
        Event second = event(alice, 1, T + 1, "second e tag is y", tag("e", x), tag("e", y, "wss://r"));
        Event upper = event(alice, 1, T + 2, "uppercase letter", tag("E", y));
        Event longName = event(alice, 1, T + 3, "two-letter name", tag("ee", y));
        Event noValue = event(alice, 1, T + 4, "name only", tag("e"));
        write(first, second, upper, longName, noValue);
        assertEquals(List.of(second.id(), first.id()), ids(query(store, Filter.builder().tag('e', x).build(), 10, NOW)));
        assertEquals(List.of(second.id()), ids(query(store, Filter.builder().tag('e', y).build(), 10, NOW)));
        assertEquals(List.of(upper.id()), ids(query(store, Filter.builder().tag('E', y).build(), 10, NOW)));
        assertEquals(List.of(), ids(query(store, Filter.builder().tag('r', "wss://r").build(), 10, NOW)));
    }

    @Test
    void nip01TagFilterWithSeveralValuesReturnsEachEventOnceAndCountsItOnceForTheLimit() throws Exception {
        String p1 = bob.publicKey().hex();
        String p2 = "cc".repeat(32);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(event(alice, 1, T + i, "both " + i, tag("p", p1), tag("p", p2), tag("p", p1)));
        }
        Event onlyP2 = event(alice, 1, T + 10, "p2 only", tag("p", p2));
        events.add(onlyP2);
        store.write(events);
        Filter f = Filter.builder().tag('p', p1, p2).build();
        assertEquals(nip01Order(events), ids(query(store, f, 100, NOW)));
        assertEquals(nip01Order(events).subList(0, 4), ids(query(store, f, 4, NOW)));
        assertEquals(7, store.count(List.of(f), NOW));
    }


    /**
     * Filters with several authors, kinds or tag values run as one index range per value, merged
     * (see FilterPlan.split): the result must still be exactly the first {@code limit} events of
     * the whole match in NIP-01 order, ties on created_at across values broken by id, other
     * conditions applied inside every range.
     */
    @Test
    void nip01SeveralAuthorsKindsAndTagValuesKeepNip01OrderAndTheLimitAcrossValues() throws Exception {
        SecretKey carol = SecretKey.generate();
        String root1 = "a1".repeat(32);
        String root2 = "b2".repeat(32);
        List<Event> events = new ArrayList<>();
        SecretKey[] keys = {alice, bob, carol};
        for (int i = 0; i < 36; i++) {
            SecretKey k = keys[i % 3];
            int kind = i % 4 == 0 ? 7 : 1;
            // Every third created_at is shared by several authors and kinds: ties across the values.
            long at = T + (i / 3) * 10L;
            events.add(event(k, kind, at, "n" + i, tag("e", i % 2 == 0 ? root1 : root2), tag("t", i % 5 == 0 ? "x" : "y")));
        }
        store.write(events);
        List<Filter> filters = List.of(
                Filter.builder().authors(alice.publicKey().hex(), bob.publicKey().hex()).kinds(1, 7).build(),
                Filter.builder().authors(alice.publicKey().hex(), carol.publicKey().hex()).kinds(1).build(),
                Filter.builder().authors(bob.publicKey().hex(), carol.publicKey().hex(), "dd".repeat(32)).build(),
                Filter.builder().kinds(7, 1, 30023).build(),
                Filter.builder().tag('e', root1, root2, "ee".repeat(32)).kinds(1).build(),
                Filter.builder().tag('e', root2, root1).authors(carol.publicKey().hex(), alice.publicKey().hex()).build(),
                Filter.builder().authors(alice.publicKey().hex(), bob.publicKey().hex()).kinds(1, 7).tag('t', "x").build(),
                Filter.builder().kinds(1, 7).since(T + 30).until(T + 80).build());
        for (Filter f : filters) {
            List<Event> matching = events.stream().filter(f::matches).toList();
            for (int limit : new int[] {1, 3, 7, 100}) {
                List<String> expected = nip01Order(matching);
                expected = expected.subList(0, Math.min(limit, expected.size()));
                assertEquals(expected, ids(query(store, f, limit, NOW)), f + " limit " + limit);
            }
            assertEquals(matching.size(), store.count(List.of(f), NOW), f.toString());
        }
    }
    @Test
    void nip01AllConditionsOfOneFilterMustHold() throws Exception {
        String x = "dd".repeat(32);
        Event match = event(alice, 7, T + 5, "+", tag("e", x), tag("t", "nostr"));
        Event wrongKind = event(alice, 1, T + 5, "k", tag("e", x), tag("t", "nostr"));
        Event wrongAuthor = event(bob, 7, T + 5, "a", tag("e", x), tag("t", "nostr"));
        Event wrongTag = event(alice, 7, T + 5, "t", tag("e", x), tag("t", "other"));
        Event missingTag = event(alice, 7, T + 5, "m", tag("t", "nostr"));
        Event tooOld = event(alice, 7, T, "o", tag("e", x), tag("t", "nostr"));
        write(match, wrongKind, wrongAuthor, wrongTag, missingTag, tooOld);
        Filter f = Filter.builder().authors(alice.publicKey().hex()).kinds(7).tag('e', x).tag('t', "nostr")
                .since(T + 1).build();
        assertEquals(List.of(match.id()), ids(query(store, f, 10, NOW)));
        Filter byIds = Filter.builder().ids(match.id(), wrongKind.id(), tooOld.id()).kinds(7).since(T + 1).build();
        assertEquals(List.of(match.id()), ids(query(store, byIds, 10, NOW)));
        Filter authorsKinds = Filter.builder().authors(alice.publicKey().hex(), bob.publicKey().hex()).kinds(1, 7).build();
        assertEquals(nip01Order(List.of(match, wrongKind, wrongAuthor, wrongTag, missingTag, tooOld)),
                ids(query(store, authorsKinds, 10, NOW)));
        assertEquals(1, store.count(List.of(f), NOW));
    }

    @Test
    void nip01EmptyListsMatchNothing() throws Exception {
        write(event(alice, 1, T, "x", tag("t", "x")));
        for (Filter f : List.of(Filter.builder().ids(List.of()).build(), Filter.builder().authors(List.of()).build(),
                Filter.builder().kinds(List.of()).build(), Filter.builder().tag('t', List.of()).build())) {
            assertEquals(List.of(), query(store, f, 10, NOW), f.toJson());
            assertEquals(0, store.count(List.of(f), NOW), f.toJson());
        }
    }

    @Test
    void nip01SeveralFiltersAreOredAndAnEventMatchingSeveralIsReturnedOnce() throws Exception {
        Event a = event(alice, 1, T, "a", tag("t", "x"));
        Event b = event(bob, 1, T + 1, "b", tag("t", "x"));
        Event c = event(bob, 2, T + 2, "c");
        Event d = event(alice, 3, T + 3, "");
        write(a, b, c, d);
        Query q = new Query(List.of(
                new Query.Part(Filter.builder().tag('t', "x").build(), 10),
                new Query.Part(Filter.builder().authors(bob.publicKey().hex()).build(), 10),
                new Query.Part(Filter.builder().ids(a.id(), b.id()).build(), 10),
                new Query.Part(Filter.builder().kinds(1, 2).build(), 10)), 100, NOW);
        assertEquals(nip01Order(List.of(a, b, c)), ids(query(store, q)));
        assertEquals(3, store.count(q.parts().stream().map(Query.Part::filter).toList(), NOW));
    }

    @Test
    void nip01EachFilterIsLimitedByItsOwnLimitThenTheWholeByTotalLimit() throws Exception {
        List<Event> notes = new ArrayList<>();
        List<Event> reactions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            notes.add(event(alice, 1, T + i * 2, "note " + i));
            reactions.add(event(bob, 7, T + i * 2 + 1, "+"));
        }
        store.write(notes);
        store.write(reactions);
        Filter kind1 = Filter.builder().kinds(1).build();
        Filter kind7 = Filter.builder().kinds(7).build();
        Query q = new Query(List.of(new Query.Part(kind1, 3), new Query.Part(kind7, 2)), 100, NOW);
        List<String> expected = new ArrayList<>(nip01Order(notes).subList(0, 3));
        expected.addAll(nip01Order(reactions).subList(0, 2));
        List<Event> both = new ArrayList<>(notes);
        both.addAll(reactions);
        List<String> expectedOrdered = nip01Order(both).stream().filter(expected::contains).toList();
        assertEquals(expectedOrdered, ids(query(store, q)));
        Query capped = new Query(List.of(new Query.Part(kind1, 10), new Query.Part(kind7, 10)), 5, NOW);
        assertEquals(nip01Order(both).subList(0, 5), ids(query(store, capped)));
    }

    @Test
    void nip01LimitZeroReturnsNothing() throws Exception {
        write(event(alice, 1, T, "x"));
        assertEquals(List.of(), query(store, Filter.builder().build(), 0, NOW));
        Query total0 = new Query(List.of(new Query.Part(Filter.builder().build(), 10)), 0, NOW);
        assertEquals(List.of(), query(store, total0));
        Query onePartZero = new Query(List.of(new Query.Part(Filter.builder().kinds(1).build(), 0),
                new Query.Part(Filter.builder().authors(alice.publicKey().hex()).build(), 5)), 10, NOW);
        assertEquals(1, query(store, onePartZero).size());
    }

    @Test
    void queryStreamingStopsWhenTheSinkReturnsFalse() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event(alice, 1, T + i, "n" + i));
        }
        store.write(events);
        List<StoredEvent> seen = new ArrayList<>();
        store.query(new Query(List.of(new Query.Part(Filter.builder().build(), 50)), 50, NOW), ev -> {
            seen.add(ev);
            return seen.size() < 3;
        });
        assertEquals(nip01Order(events).subList(0, 3), ids(seen));
        // the store is still usable afterwards (the cursor and read connection were released)
        for (int i = 0; i < 20; i++) {
            store.query(new Query(List.of(new Query.Part(Filter.builder().build(), 50)), 50, NOW), ev -> false);
        }
        assertEquals(50, all().size());
    }

    @Test
    void nip40ExpiredEventsAreNeverServedAndPurgeRemovesThem() throws Exception {
        Event expiresSoon = event(alice, 1, T, "soon", tag("expiration", String.valueOf(T + 50)));
        Event expiresLater = event(alice, 1, T + 1, "later", tag("expiration", String.valueOf(T + 500)));
        Event longGone = event(alice, 1, T + 2, "gone", tag("expiration", "1000"));
        Event forever = event(alice, 1, T + 3, "forever", tag("expiration", "not a number"));
        write(expiresSoon, expiresLater, longGone, forever);
        Filter any = Filter.builder().build();
        assertEquals(List.of(forever.id(), expiresLater.id(), expiresSoon.id()), ids(query(store, any, 10, T + 49)));
        assertEquals(List.of(forever.id(), expiresLater.id()), ids(query(store, any, 10, T + 50)));
        assertEquals(2, store.count(List.of(any), T + 50));
        assertEquals(List.of(forever.id()), ids(query(store, Filter.builder().kinds(1).build(), 10, T + 500)));
        assertTrue(store.get(longGone.id()).isEmpty(), "get hides events expired by the wall clock");
        assertEquals(4, store.size());
        assertEquals(2, store.purgeExpired(T + 50));
        assertEquals(2, store.size());
        assertEquals(1, store.purgeExpired(T + 500));
        assertEquals(0, store.purgeExpired(T + 500));
        assertEquals(List.of(forever.id()), ids(query(store, any, 10, T)));
    }

    @Test
    void nip40PurgeRemovesTagRowsToo() throws Exception {
        Event e = event(alice, 1, T, "x", tag("t", "gone"), tag("expiration", String.valueOf(T + 1)));
        write(e);
        assertEquals(1, store.purgeExpired(T + 1));
        assertEquals(List.of(), query(store, Filter.builder().tag('t', "gone").build(), 10, T));
        assertEquals(0, store.count(List.of(Filter.builder().tag('t', "gone").build()), T));
    }

    @Test
    void nip45CountCountsDistinctEventsAcrossFiltersIgnoringLimits() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            events.add(event(i < 5 ? alice : bob, i % 2 == 0 ? 1 : 6, T + i, "c" + i));
        }
        store.write(events);
        Filter kind1 = Filter.builder().kinds(1).limit(1).build();
        Filter aliceF = Filter.builder().authors(alice.publicKey().hex()).build();
        long expected = events.stream().filter(e -> e.kind() == 1 || e.pubkey().equals(alice.publicKey().hex())).count();
        assertEquals(expected, store.count(List.of(kind1, aliceF), NOW));
        assertEquals(0, store.count(List.of(), NOW));
    }

    @Test
    void nip45CountAuthorsHandsOneAuthorPerDistinctCountedEvent() throws Exception {
        SecretKey carol = SecretKey.generate();
        String target = "ab".repeat(32);
        List<Event> events = new ArrayList<>();
        events.add(event(alice, 7, T, "+", tag("e", target)));
        events.add(event(alice, 7, T + 1, "+", tag("e", target), tag("e", target)));
        events.add(event(bob, 7, T + 2, "-", tag("e", target), tag("p", bob.publicKey().hex())));
        events.add(event(carol, 7, T + 3, "+", tag("e", "cd".repeat(32))));
        events.add(event(carol, 1, T + 4, "not a reaction", tag("e", target)));
        events.add(event(carol, 7, T + 5, "expired", tag("e", target), tag("expiration", String.valueOf(T + 6))));
        store.write(events);
        Filter reactions = Filter.builder().kinds(7).tag('e', target).build();
        Filter byBob = Filter.builder().authors(bob.publicKey().hex()).build();
        List<String> seen = new ArrayList<>();
        long n = store.countAuthors(List.of(reactions, byBob), T + 10, Visibility.EVERYTHING, pk -> seen.add(nostr.core.Hex.encode(pk)));
        assertEquals(3, n);
        assertEquals(store.count(List.of(reactions, byBob), T + 10), n);
        assertEquals(List.of(alice.publicKey().hex(), alice.publicKey().hex(), bob.publicKey().hex()).stream().sorted().toList(),
                seen.stream().sorted().toList());
        // Before the expiry carol's reaction counts too.
        seen.clear();
        assertEquals(4, store.countAuthors(List.of(reactions), T + 5, Visibility.EVERYTHING, pk -> seen.add(nostr.core.Hex.encode(pk))));
        assertTrue(seen.contains(carol.publicKey().hex()));
        // A sink returning false stops the count.
        assertEquals(1, store.countAuthors(List.of(reactions), T + 5, Visibility.EVERYTHING, pk -> false));
        assertEquals(0, store.countAuthors(List.of(), NOW, Visibility.EVERYTHING, pk -> true));
        assertEquals(0, store.countAuthors(List.of(Filter.builder().kinds(List.of()).build()), NOW, Visibility.EVERYTHING, pk -> true));
    }

    @Test
    void nip45CountAuthorsRespectsTheReadersVisibility() throws Exception {
        SecretKey carol = SecretKey.generate();
        String alicePk = alice.publicKey().hex();
        store.write(List.of(event(bob, 1059, T, "wrap to alice", tag("p", alicePk)),
                event(carol, 1059, T + 1, "wrap to bob", tag("p", bob.publicKey().hex())),
                event(carol, 1, T + 2, "a note mentioning alice", tag("p", alicePk))));
        Filter toAlice = Filter.builder().tag('p', alicePk).build();
        Filter wraps = Filter.builder().kinds(1059).build();
        Visibility anonymous = new Visibility(Set.of(), Set.of(1059), Set.of());
        Visibility asAlice = new Visibility(Set.of(), Set.of(1059), Set.of(alicePk));
        List<String> seen = new ArrayList<>();
        assertEquals(1, store.countAuthors(List.of(toAlice, wraps), NOW, anonymous, pk -> seen.add(nostr.core.Hex.encode(pk))));
        assertEquals(List.of(carol.publicKey().hex()), seen);
        assertEquals(2, store.countAuthors(List.of(toAlice, wraps), NOW, asAlice, pk -> true));
        assertEquals(store.count(List.of(toAlice, wraps), NOW, asAlice),
                store.countAuthors(List.of(toAlice, wraps), NOW, asAlice, pk -> true));
        assertEquals(3, store.countAuthors(List.of(toAlice, wraps), NOW, Visibility.EVERYTHING, pk -> true));
    }

    @Test
    void nip45CountAuthorsOfASearchFilterFollowsTheSearch() throws Exception {
        store.write(List.of(event(alice, 1, T, "purple rain"), event(bob, 1, T + 1, "purple haze"),
                event(bob, 1, T + 2, "orange")));
        List<String> seen = new ArrayList<>();
        assertEquals(2, store.countAuthors(List.of(Filter.builder().search("purple").build()), NOW, Visibility.EVERYTHING,
                pk -> seen.add(nostr.core.Hex.encode(pk))));
        assertEquals(List.of(alice.publicKey().hex(), bob.publicKey().hex()).stream().sorted().toList(),
                seen.stream().sorted().toList());
    }

    @Test
    void queriesRunConcurrentlyWithTheWriterAndSeeConsistentOrderedResults() throws Exception {
        int batches = 40;
        List<List<Event>> work = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<Event> batch = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                batch.add(event(b % 2 == 0 ? alice : bob, 1, T + b * 25L + i, "c" + b + "/" + i, tag("t", "live")));
            }
            work.add(batch);
        }
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger queries = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var writer = pool.submit(() -> {
                try {
                    for (List<Event> batch : work) {
                        store.write(batch);
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            List<java.util.concurrent.Future<Object>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                readers.add(pool.submit(() -> {
                    do {
                        List<StoredEvent> got = query(store, Filter.builder().tag('t', "live").build(), 1000, NOW);
                        for (int i = 1; i < got.size(); i++) {
                            assertTrue(got.get(i - 1).createdAt() > got.get(i).createdAt(), "NIP-01 order while writing");
                        }
                        assertEquals(0, got.size() % 25, "a reader sees whole batches only (one snapshot per query)");
                        queries.incrementAndGet();
                    } while (writing.get());
                    return null;
                }));
            }
            writer.get();
            for (var r : readers) {
                r.get();
            }
        }
        assertTrue(queries.get() >= 4);
        assertEquals(batches * 25L, store.count(List.of(Filter.builder().tag('t', "live").build()), NOW));
    }

    @Test
    void durableAcrossCloseAndReopen() throws Exception {
        Event note = event(alice, 1, T, "kept", tag("t", "durable"));
        Event profile = event(alice, 0, T, "{}");
        write(note, profile);
        closeAndReopen();
        assertEquals(note.json(), store.get(note.id()).orElseThrow().json());
        assertEquals(List.of(note.id()), ids(query(store, Filter.builder().tag('t', "durable").build(), 10, NOW)));
        Event older = event(alice, 0, T - 1, "{}");
        assertEquals(List.of(WriteStatus.SUPERSEDED, WriteStatus.DUPLICATE), write(older, note));
        assertTrue(storage.isHealthy());
    }

    @Test
    void closedStorageIsNotHealthyAndRefusesWork() throws Exception {
        assertTrue(storage.isHealthy());
        storage.close();
        assertFalse(storage.isHealthy());
        org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> write(event(alice, 1, T, "late")));
        org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> store.size());
        storage.close();
        storage = null;
    }

    @Test
    void batchWriteThroughputIsMeasured() throws Exception {
        int total = 20_000;
        int batchSize = 200;
        List<Event> events = new ArrayList<>(total);
        SecretKey[] authors = new SecretKey[50];
        for (int i = 0; i < authors.length; i++) {
            authors[i] = SecretKey.generate();
        }
        for (int i = 0; i < total; i++) {
            events.add(event(authors[i % authors.length], 1, T + i, "benchmark note " + i, tag("t", "bench"),
                    tag("p", authors[(i + 1) % authors.length].publicKey().hex()), tag("e", "ab".repeat(32))));
        }
        long start = System.nanoTime();
        for (int i = 0; i < total; i += batchSize) {
            List<WriteStatus> st = store.write(events.subList(i, i + batchSize));
            assertTrue(st.stream().allMatch(s -> s == WriteStatus.STORED));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("[measure] %s batch insert: %d events in batches of %d, 3 tags each: %.0f events/s (%.2f s)%n",
                storage.name(), total, batchSize, total / seconds, seconds);
        assertEquals(total, store.size());
        assertEquals(idsOf(events.subList(total - 3, total)).reversed(),
                ids(query(store, Filter.builder().tag('t', "bench").build(), 3, NOW)));
    }
}
