package nostr.relay.store;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.ids;
import static nostr.relay.store.TestEvents.nip01Order;
import static nostr.relay.store.TestEvents.query;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * NIP-50 search on content: every word must match (as a word prefix, any case), results ordered
 * by relevance with the limit applied after ranking, key:value extensions ignored, combined with
 * the filter's other conditions, and search filters first when a REQ mixes them with plain ones.
 */
public abstract class SearchContract extends StorageContract {
    static final long T = 1_700_000_000L;
    static final long NOW = T + 100_000;

    protected final SecretKey alice = SecretKey.generate();
    protected final SecretKey bob = SecretKey.generate();
    protected EventStore store;

    @Override
    protected void opened() {
        store = storage.events();
    }

    private static Filter search(String s) {
        return Filter.builder().search(s).build();
    }

    private static Set<String> set(List<StoredEvent> events) {
        return new HashSet<>(ids(events));
    }

    @Test
    void nip50FindsContentWithEveryWordAsAPrefixIgnoringCase() throws Exception {
        Event a = event(alice, 1, T, "Building a Nostr relay in Java");
        Event b = event(alice, 1, T + 1, "nostr clients everywhere");
        Event c = event(bob, 1, T + 2, "relays, relays: RELAYS!");
        Event d = event(bob, 1, T + 3, "nothing to see here");
        store.write(List.of(a, b, c, d));
        assertEquals(Set.of(a.id(), b.id()), set(query(store, search("nostr"), 10, NOW)));
        assertEquals(Set.of(a.id()), set(query(store, search("NOSTR relay"), 10, NOW)));
        assertEquals(Set.of(a.id(), c.id()), set(query(store, search("rel"), 10, NOW)));
        assertEquals(Set.of(), set(query(store, search("nostr coffee"), 10, NOW)));
        assertEquals(Set.of(), set(query(store, search("!!! ???"), 10, NOW)));
    }

    @Test
    void nip50ResultsAreOrderedByRelevanceAndTheLimitAppliesAfterRanking() throws Exception {
        Event strong = event(alice, 1, T, "java java java java coffee");
        Event medium = event(alice, 1, T + 1, "java java and some tea and other words here");
        Event weak = event(bob, 1, T + 2, "a long note that mentions java once among many many other words of text");
        Event newest = event(bob, 1, T + 3, "no match at all");
        store.write(List.of(weak, newest, strong, medium));
        assertEquals(List.of(strong.id(), medium.id(), weak.id()), ids(query(store, search("java"), 10, NOW)));
        assertEquals(List.of(strong.id(), medium.id()), ids(query(store, search("java"), 2, NOW)));
    }

    @Test
    void nip50ExtensionsAreIgnored() throws Exception {
        Event a = event(alice, 1, T, "hello world");
        Event b = event(alice, 1, T + 1, "goodbye");
        store.write(List.of(a, b));
        assertEquals(List.of(a.id()), ids(query(store, search("hello language:en include:spam"), 10, NOW)));
        // only extensions: nothing this relay supports was asked, so the filter is a plain one
        assertEquals(nip01Order(List.of(a, b)), ids(query(store, search("language:en"), 10, NOW)));
    }

    @Test
    void nip50SearchCombinesWithTheFiltersOtherConditions() throws Exception {
        Event a = event(alice, 1, T, "sunset photo", tag("t", "photo"));
        Event b = event(bob, 1, T + 1, "sunset photo");
        Event c = event(alice, 30023, T + 2, "sunset essay", tag("d", "x"));
        Event d = event(alice, 1, T - 100, "old sunset");
        store.write(List.of(a, b, c, d));
        Filter f = Filter.builder().search("sunset").authors(alice.publicKey().hex()).kinds(1).since(T).build();
        assertEquals(List.of(a.id()), ids(query(store, f, 10, NOW)));
        Filter tagged = Filter.builder().search("sunset").tag('t', "photo").build();
        assertEquals(List.of(a.id()), ids(query(store, tagged, 10, NOW)));
        Filter byIds = Filter.builder().search("sunset").ids(b.id(), d.id()).build();
        assertEquals(Set.of(b.id(), d.id()), set(query(store, byIds, 10, NOW)));
        assertEquals(3, store.count(List.of(Filter.builder().search("sunset").authors(alice.publicKey().hex()).build()), NOW));
    }

    @Test
    void nip50CiphertextKindsAreNotIndexedAndExpiredEventsNotServed() throws Exception {
        Event dm = event(alice, 4, T, "secret?iv=abc");
        Event wrap = event(alice, 1059, T, "secret");
        Event expired = event(alice, 1, T, "secret note", tag("expiration", String.valueOf(T + 5)));
        Event note = event(alice, 1, T, "a secret kept");
        store.write(List.of(dm, wrap, expired, note));
        assertEquals(List.of(note.id()), ids(query(store, search("secret"), 10, T + 5)));
    }

    @Test
    void nip50ReplacedAndDeletedEventsLeaveTheIndex() throws Exception {
        Event v1 = event(alice, 0, T, "{\"name\":\"wonderland\"}");
        Event v2 = event(alice, 0, T + 1, "{\"name\":\"builder\"}");
        Event note = event(bob, 1, T, "wonderland again");
        store.write(List.of(v1, v2, note));
        assertEquals(List.of(note.id()), ids(query(store, search("wonderland"), 10, NOW)));
        assertEquals(List.of(v2.id()), ids(query(store, search("builder"), 10, NOW)));
        store.vanish(bob.publicKey().hex(), T);
        assertEquals(List.of(), query(store, search("wonderland"), 10, NOW));
        assertEquals(0, store.count(List.of(search("wonderland")), NOW));
    }

    @Test
    void nip50SearchFiltersComeFirstInARequestThatMixesThemWithPlainOnes() throws Exception {
        Event plainOld = event(bob, 7, T, "+");
        Event plainNew = event(bob, 7, T + 5, "-");
        Event hit = event(alice, 1, T + 1, "zebra zebra zebra");
        Event weakHit = event(alice, 7, T + 2, "one zebra among words in a longer reaction text");
        store.write(List.of(plainOld, plainNew, hit, weakHit));
        Query q = new Query(List.of(new Query.Part(Filter.builder().kinds(7).build(), 10),
                new Query.Part(search("zebra"), 10)), 10, NOW);
        assertEquals(List.of(hit.id(), weakHit.id(), plainNew.id(), plainOld.id()), ids(query(store, q)));
        Query capped = new Query(q.parts(), 3, NOW);
        assertEquals(List.of(hit.id(), weakHit.id(), plainNew.id()), ids(query(store, capped)));
        assertEquals(4, store.count(q.parts().stream().map(Query.Part::filter).toList(), NOW));
    }

    @Test
    void nip50ContentWithNulAndHugeContentIsStoredAndSearchable() throws Exception {
        Event nul = event(alice, 1, T, "before\u0000after");
        Event huge = event(alice, 1, T + 1, "needle " + "hay ".repeat(60_000));
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED), store.write(List.of(nul, huge)));
        assertEquals(List.of(nul.id()), ids(query(store, search("after"), 10, NOW)));
        assertEquals(List.of(huge.id()), ids(query(store, search("needle"), 10, NOW)));
        assertTrue(store.get(huge.id()).isPresent());
    }
}
