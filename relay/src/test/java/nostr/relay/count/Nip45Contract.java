package nostr.relay.count;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.json.Json;
import nostr.core.keys.SecretKey;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.relay.query.SearchLimits;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.NostrToolsHll;
import nostr.relay.testing.MetricsText;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NIP-45 "Event Counts" over real WebSockets: {@code COUNT} takes filters as REQ does, "OR'd
 * together and aggregated into a single count result"; the HyperLogLog {@code hll} (256 registers,
 * "a 512-character hex string") for the common filters, checked register by register against
 * nostr-tools' implementation of the NIP's algorithm; refusals are {@code CLOSED} with a prefix
 * ("Whenever the relay decides to refuse to fulfill the COUNT request, it MUST return a CLOSED
 * message"), among them counting gift wraps unauthenticated (the NIP's "cannot count other people's
 * DMs"); gift wraps count only for their authenticated recipient. One subclass per storage adapter.
 */
public abstract class Nip45Contract extends LiveRelayContract {
    private SecretKey alice;
    private SecretKey bob;
    private long now;

    @BeforeEach
    void freshKeys() {
        alice = SecretKey.generate();
        bob = SecretKey.generate();
        now = now();
    }

    private static void publishAll(WsClient c, List<Event> events) {
        for (Event e : events) {
            RelayMessage.Ok ok = c.publish(e);
            assertTrue(ok.accepted(), ok.message());
        }
    }

    private static RelayMessage.Count count(WsClient c, String id, Filter... filters) {
        c.send(new ClientMessage.Count(id, List.of(filters)).toJson());
        return awaitCount(c, id);
    }

    private static RelayMessage.Count awaitCount(WsClient c, String id) {
        c.await("COUNT or CLOSED for " + id, ms -> ms.stream().anyMatch(m ->
                m instanceof RelayMessage.Count n && n.subscriptionId().equals(id)
                        || m instanceof RelayMessage.Closed x && x.subscriptionId().equals(id)));
        for (RelayMessage m : c.parsed()) {
            if (m instanceof RelayMessage.Closed x && x.subscriptionId().equals(id)) {
                throw new AssertionError("COUNT " + id + " was CLOSED: " + x.message());
            }
        }
        return c.awaitFirst("COUNT " + id, RelayMessage.Count.class, n -> n.subscriptionId().equals(id));
    }

    @Test
    void nip45CountIsExactAcrossOredFiltersEachEventOnceLimitsIgnored() {
        WsClient c = connect();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(event(alice, 1, now - 10 - i, "note " + i));
        }
        events.add(event(alice, 7, now - 20, "+"));
        events.add(event(bob, 7, now - 21, "+"));
        events.add(event(bob, 1, now - 22, "bob's note"));
        publishAll(c, events);
        RelayMessage.Count n = count(c, "q", Filter.builder().authors(alice.publicKey().hex()).limit(1).build(),
                Filter.builder().kinds(7).authors(alice.publicKey().hex(), bob.publicKey().hex()).build());
        assertEquals(6, n.count(), "4 notes and 2 reactions; alice's reaction once");
        assertTrue(!n.approximate());
        assertNull(n.hll(), "no registers for several filters");
        assertEquals(0, count(c, "none", Filter.builder().authors(SecretKey.generate().publicKey().hex()).build()).count());
    }

    @Test
    void nip45ReactionCountCarriesTheRegistersNostrToolsComputes() {
        WsClient c = connect();
        String target = event(alice, 1, now - 100, "a post").id();
        List<Event> reactions = new ArrayList<>();
        Set<String> authors = new LinkedHashSet<>();
        for (int i = 0; i < 60; i++) {
            SecretKey k = SecretKey.generate();
            authors.add(k.publicKey().hex());
            reactions.add(event(k, 7, now - 50, "+", tag("e", target), tag("p", alice.publicKey().hex())));
        }
        SecretKey twice = SecretKey.generate();
        authors.add(twice.publicKey().hex());
        reactions.add(event(twice, 7, now - 40, "+", tag("e", target)));
        reactions.add(event(twice, 7, now - 39, "🔥", tag("e", target)));
        reactions.add(event(bob, 1, now - 30, "a reply, not a reaction", tag("e", target)));
        publishAll(c, reactions);

        RelayMessage.Count n = count(c, "reactions", Filter.builder().tag('e', target).kinds(7).build());
        assertEquals(62, n.count());
        assertEquals(512, n.hll().length());
        NostrToolsHll.Result expected = NostrToolsHll.compute(target, authors);
        assertEquals(expected.hll(), n.hll());
        assertEquals(expected.offset(), HyperLogLog.offset(target));
    }

    @Test
    void nip45RegistersForPubkeyAddressAndPlainTagValuesMatchNostrTools() {
        WsClient c = connect();
        String followed = bob.publicKey().hex();
        String address = "30023:" + bob.publicKey().hex() + ":my-article";
        String hashtag = "nostr-is-" + now;
        Set<String> followers = new LinkedHashSet<>();
        Set<String> quoters = new LinkedHashSet<>();
        Set<String> taggers = new LinkedHashSet<>();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            SecretKey k = SecretKey.generate();
            followers.add(k.publicKey().hex());
            events.add(event(k, 3, now - 60, "", tag("p", followed)));
            if (i % 2 == 0) {
                quoters.add(k.publicKey().hex());
                events.add(event(k, 1, now - 50, "quoting", tag("q", address)));
            }
            if (i % 3 == 0) {
                taggers.add(k.publicKey().hex());
                events.add(event(k, 1, now - 40, "#tagged", tag("t", hashtag)));
            }
        }
        publishAll(c, events);
        RelayMessage.Count f = count(c, "followers", Filter.builder().tag('p', followed).kinds(3).build());
        assertEquals(25, f.count());
        assertEquals(NostrToolsHll.compute(followed, followers).hll(), f.hll());
        RelayMessage.Count q = count(c, "quotes", Filter.builder().tag('q', address).kinds(1, 1111).build());
        assertEquals(quoters.size(), q.count());
        assertEquals(NostrToolsHll.compute(address, quoters).hll(), q.hll());
        RelayMessage.Count t = count(c, "tags", Filter.builder().tag('t', hashtag).kinds(1).build());
        assertEquals(taggers.size(), t.count());
        assertEquals(NostrToolsHll.compute(hashtag, taggers).hll(), t.hll());
    }

    @Test
    void nip45RegistersOnlyForOneFilterWithOneTagAttributeAndKinds() {
        WsClient c = connect();
        String target = "cd".repeat(32);
        publishAll(c, List.of(event(alice, 7, now - 5, "+", tag("e", target), tag("p", bob.publicKey().hex()))));
        assertNull(count(c, "no-kinds", Filter.builder().tag('e', target).build()).hll());
        assertNull(count(c, "two-tags", Filter.builder().tag('e', target).tag('p', bob.publicKey().hex()).kinds(7).build()).hll());
        assertNull(count(c, "no-tag", Filter.builder().authors(alice.publicKey().hex()).kinds(7).build()).hll());
        RelayMessage.Count one = count(c, "one", Filter.builder().tag('e', target).kinds(7).build());
        assertEquals(1, one.count());
        assertEquals(NostrToolsHll.compute(target, List.of(alice.publicKey().hex())).hll(), one.hll());
        RelayMessage.Count empty = count(c, "empty", Filter.builder().tag('e', "ef".repeat(32)).kinds(7).build());
        assertEquals(0, empty.count());
        assertEquals("00".repeat(256), empty.hll());
    }

    @Test
    void nip45DeletedEventsAreNotCountedAndSearchFiltersCountMatches() {
        WsClient c = connect();
        Event a = event(alice, 1, now - 30, "purple rain");
        Event b = event(alice, 1, now - 20, "purple haze");
        Event d = event(alice, 1, now - 10, "orange sky");
        publishAll(c, List.of(a, b, d, event(alice, 5, now - 5, "", tag("e", a.id()))));
        Filter mine = Filter.builder().authors(alice.publicKey().hex()).kinds(1).build();
        assertEquals(2, count(c, "left", mine).count());
        assertEquals(1, count(c, "search", Filter.builder().authors(alice.publicKey().hex()).search("purple").build()).count());
    }

    @Test
    void nip45GiftWrapsAreNeitherCountedNorCountable() {
        WsClient c = connect();
        String alicePk = alice.publicKey().hex();
        publishAll(c, List.of(event(SecretKey.generate(), 1059, now - 30, "ciphertext", tag("p", alicePk)),
                event(bob, 1, now - 20, "hello alice", tag("p", alicePk))));
        c.send(new ClientMessage.Count("dms", List.of(Filter.builder().kinds(1059).tag('p', alicePk).build())).toJson());
        String closed = c.awaitClosed("dms");
        assertTrue(closed.startsWith("auth-required:"), closed);
        RelayMessage.Count mentions = count(c, "mentions", Filter.builder().tag('p', alicePk).build());
        assertEquals(1, mentions.count(), "the gift wrap to alice is not counted");
        assertEquals(1, count(c, "all-of-it", Filter.builder().tag('p', alicePk).since(now - 100).build()).count());

        // Authenticated as alice, her gift wraps count (and nobody else's).
        WsClient asAlice = connect();
        assertTrue(asAlice.authenticate(alice, relay.publicUrl()).accepted());
        assertEquals(1, count(asAlice, "mine", Filter.builder().kinds(1059).tag('p', alicePk).build()).count());
        assertEquals(2, count(asAlice, "everything", Filter.builder().tag('p', alicePk).build()).count());
        WsClient asBob = connect();
        assertTrue(asBob.authenticate(bob, relay.publicUrl()).accepted());
        assertEquals(1, count(asBob, "not-his", Filter.builder().tag('p', alicePk).build()).count());
        assertEquals(0, count(asBob, "his-wraps", Filter.builder().kinds(1059).build()).count());
    }

    @Test
    void nip45BadCountsAreClosedWithAPrefixAndTheConnectionSurvives() {
        WsClient c = connect();
        c.send("[\"COUNT\",\"kinds\",{\"kinds\":\"x\"}]");
        assertTrue(c.awaitClosed("kinds").startsWith("invalid:"));
        c.send("[\"COUNT\",\"nofilter\"]");
        assertTrue(c.awaitClosed("nofilter").startsWith("invalid:"));
        c.send("[\"COUNT\",\"notobject\",[1]]");
        assertTrue(c.awaitClosed("notobject").startsWith("invalid:"));
        c.send("[\"COUNT\",\"unknown\",{\"colour\":\"red\"}]");
        assertTrue(c.awaitClosed("unknown").startsWith("invalid:"));
        String longId = "x".repeat(65);
        c.send("[\"COUNT\",\"" + longId + "\",{}]");
        assertTrue(c.awaitClosed(longId).startsWith("invalid:"));
        Filter any = Filter.builder().kinds(1).build();
        List<Filter> many = new ArrayList<>();
        for (int i = 0; i <= nostr.relay.config.Limits.defaults().maxFilters(); i++) {
            many.add(any);
        }
        c.send(new ClientMessage.Count("many", many).toJson());
        assertTrue(c.awaitClosed("many").startsWith("invalid:"));
        c.send("[\"COUNT\",\"search\",{\"search\":" + Json.quote("y".repeat(SearchLimits.MAX_LENGTH + 1)) + "}]");
        assertTrue(c.awaitClosed("search").startsWith("invalid:"));
        c.send("[\"COUNT\",42,{}]");
        c.awaitNotice("COUNT");
        assertEquals(0, count(c, "fine", Filter.builder().authors(alice.publicKey().hex()).build()).count());
    }

    @Test
    void nip45CountsAreMeasured() {
        double plain = MetricsText.value(relay.metrics(), "parrhesia_counts_total{hll=\"false\"}");
        double withHll = MetricsText.value(relay.metrics(), "parrhesia_counts_total{hll=\"true\"}");
        WsClient c = connect();
        count(c, "a", Filter.builder().authors(alice.publicKey().hex()).build());
        count(c, "b", Filter.builder().tag('e', "ab".repeat(32)).kinds(7).build());
        assertEquals(plain + 1, MetricsText.value(relay.metrics(), "parrhesia_counts_total{hll=\"false\"}"));
        assertEquals(withHll + 1, MetricsText.value(relay.metrics(), "parrhesia_counts_total{hll=\"true\"}"));
    }
}
