package nostr.relay.query;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NIP-50 "Search Capability" over real WebSockets: the {@code search} filter field matched against
 * content, "results SHOULD be returned in descending order by quality", "the limit filter SHOULD be
 * applied after sorting by matching score", other filter fields restrict the results, several search
 * filters in one REQ, {@code key:value} extensions "relays SHOULD ignore ... they don't support";
 * live events matched by core's {@code Filter.matches} (every plain term occurs, any case); odd
 * search strings are text, never syntax; over-long ones are refused {@code invalid:}. One subclass
 * per storage adapter.
 */
public abstract class Nip50Contract extends LiveRelayContract {
    private SecretKey alice;
    private long now;
    private String pk;

    @BeforeEach
    void freshKeys() {
        alice = SecretKey.generate();
        pk = alice.publicKey().hex();
        now = now();
    }

    private Filter search(String s) {
        return Filter.builder().authors(pk).search(s).build();
    }

    private Event publish(WsClient c, int kind, long at, String content) {
        Event e = event(alice, kind, at, content);
        RelayMessage.Ok ok = c.publish(e);
        assertTrue(ok.accepted(), ok.message());
        return e;
    }

    @Test
    void nip50SearchReturnsMatchesBestFirstWithTheLimitAppliedAfterRanking() {
        WsClient c = connect();
        Event dense = publish(c, 1, now - 300, "nostr nostr nostr relay");
        Event sparse = publish(c, 1, now - 200, "a much longer note that mentions nostr only once among many other words "
                + "about relays, clients, keys, signatures, servers and the weather this week");
        publish(c, 1, now - 100, "nothing relevant in here");
        assertEquals(List.of(dense.id(), sparse.id()), c.query("all", search("nostr")), "best match first, not newest");
        Filter one = Filter.builder().authors(pk).search("nostr").limit(1).build();
        assertEquals(List.of(dense.id()), c.query("one", one), "the limit applies after ranking");
        assertEquals(List.of(dense.id(), sparse.id()), c.query("prefix", search("NOST")), "case-insensitive word prefixes");
        assertEquals(List.of(sparse.id()), c.query("both", search("nostr weather")), "every term must match");
    }

    @Test
    void nip50OtherFilterFieldsRestrictTheSearch() {
        WsClient c = connect();
        Event note = publish(c, 1, now - 30, "purple rain");
        Event article = publish(c, 30023, now - 20, "purple haze");
        publish(c, 1, now - 10, "orange sky");
        assertEquals(List.of(note.id()), c.query("k", Filter.builder().authors(pk).kinds(1).search("purple").build()));
        assertEquals(List.of(article.id()), c.query("since", Filter.builder().authors(pk).since(now - 25).search("purple").build()));
        assertEquals(List.of(), c.query("other", Filter.builder().authors(SecretKey.generate().publicKey().hex())
                .search("purple").build()));
    }

    @Test
    void nip50SeveralSearchFiltersInOneReqAreOred() {
        WsClient c = connect();
        Event purple = publish(c, 1, now - 30, "purple rain");
        Event orange = publish(c, 2, now - 20, "orange sky");
        publish(c, 1, now - 10, "grey clouds");
        List<String> got = c.query("two", search("orange"), Filter.builder().authors(pk).kinds(1, 2).search("purple").build());
        assertEquals(Set.of(purple.id(), orange.id()), Set.copyOf(got));
        assertEquals(2, got.size());
    }

    @Test
    void nip50ExtensionsAreParsedAndIgnored() {
        WsClient c = connect();
        Event purple = publish(c, 1, now - 30, "purple rain");
        Event orange = publish(c, 1, now - 20, "orange sky");
        assertEquals(List.of(purple.id()), c.query("ext",
                search("include:spam purple domain:example.com language:en sentiment:positive nsfw:false")));
        // Extensions alone ask for nothing this relay supports: a plain filter.
        assertEquals(List.of(orange.id(), purple.id()), c.query("only-ext", search("language:en nsfw:true")));
        assertEquals(List.of(orange.id(), purple.id()), c.query("empty", search("")));
    }

    @Test
    void nip50OddSearchStringsAreTextNotSyntax() {
        WsClient c = connect();
        Event tables = publish(c, 1, now - 30, "drop table events; nobody would do that");
        Event quoted = publish(c, 1, now - 20, "she said \"hello\" (twice) to the world");
        List<String> odd = List.of("\"", "*", "'", "\\", "()", "NEAR(hello world)", "hello OR world", "hello AND NOT world",
                "hello*", "hel\"lo", "🙂", "\u0000", "%", "_", "--", "^hello", "{hello}", "hello:", ":hello", "a:b:c",
                "ﬁ", "\u202Ehello");
        for (int i = 0; i < odd.size(); i++) {
            String sub = "odd" + i;
            c.req(sub, search(odd.get(i)));
            c.awaitEose(sub);
        }
        assertEquals(List.of(tables.id()), c.query("sql", search("'; DROP TABLE events; --")));
        assertEquals(List.of(quoted.id()), c.query("quoted", search("\"hello\" (twice)")));
        assertEquals(List.of(), c.query("punct", search("!!! ???")), "terms without letters or digits match nothing");
        assertEquals(List.of(quoted.id(), tables.id()), c.query("intact", Filter.builder().authors(pk).build()),
                "the store is intact");
    }

    @Test
    void nip50OverlongSearchesAreRefusedInvalidAndTheConnectionSurvives() {
        WsClient c = connect();
        c.send("[\"REQ\",\"long\",{\"search\":" + Json.quote("x".repeat(SearchLimits.MAX_LENGTH + 1)) + "}]");
        assertTrue(c.awaitClosed("long").startsWith("invalid:"));
        c.send("[\"REQ\",\"words\",{\"search\":" + Json.quote("w ".repeat(SearchLimits.MAX_WORDS + 1)) + "}]");
        String words = c.awaitClosed("words");
        assertTrue(words.startsWith("invalid:") && words.contains("words"), words);
        c.send("[\"REQ\",\"type\",{\"search\":42}]");
        assertTrue(c.awaitClosed("type").startsWith("invalid:"));
        Event e = publish(c, 1, now, "still served");
        assertEquals(List.of(e.id()), c.query("ok", search("served")));
    }

    @Test
    void nip50LiveEventsAreMatchedAfterEose() {
        WsClient listener = connect();
        assertEquals(List.of(), listener.query("live", search("purple")));
        WsClient c = connect();
        publish(c, 1, now, "ORANGE sky");
        Event purple = publish(c, 1, now, "Deep PURPLE rain");
        listener.awaitEvent("live", purple.id());
        assertEquals(List.of(purple.id()), listener.eventIds("live"));
        assertFalse(listener.all().stream().anyMatch(m -> m.contains("ORANGE")));
    }
}
