package nostr.relay.deletion;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.MetricsText;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NIP-62 "Request to Vanish" over real WebSockets: "Relays MUST fully delete any events from the
 * .pubkey if their service URL is tagged", "SHOULD delete all NIP-59 Gift Wraps that p-tagged the
 * .pubkey", "MUST ensure the deleted events cannot be re-broadcasted", ALL_RELAYS, NIP-09 deletion
 * events included, "regardless of the user's status" (a banned author may still vanish). The
 * request itself is not stored or broadcast; one naming only other relays is refused. One subclass
 * per storage adapter.
 */
public abstract class Nip62Contract extends LiveRelayContract {
    private SecretKey alice;
    private SecretKey bob;
    private long now;

    @BeforeEach
    void freshKeys() {
        alice = SecretKey.generate();
        bob = SecretKey.generate();
        now = now();
    }

    private static Filter authors(SecretKey... keys) {
        return Filter.builder().authors(java.util.Arrays.stream(keys).map(k -> k.publicKey().hex()).toList()).build();
    }

    private static void accepted(RelayMessage.Ok ok) {
        assertTrue(ok.accepted(), ok.message());
    }

    private Event vanish(SecretKey key, long at, String... relays) {
        String[][] tags = new String[relays.length][];
        for (int i = 0; i < relays.length; i++) {
            tags[i] = tag("relay", relays[i]);
        }
        return event(key, 62, at, "please forget me", tags);
    }

    @Test
    void nip62ErasesTheAuthorsEventsAndGiftWrapsToThemUpToItsCreatedAt() {
        WsClient c = connect();
        String alicePk = alice.publicKey().hex();
        Event note = event(alice, 1, now - 100, "note");
        Event profile = event(alice, 0, now - 90, "{}");
        Event article = event(alice, 30023, now - 80, "article", tag("d", "a"));
        Event deletion = event(alice, 5, now - 70, "", tag("e", "ab".repeat(32)));
        Event wrapToAlice = event(SecretKey.generate(), 1059, now - 60, "ciphertext", tag("p", alicePk));
        Event bobMentionsAlice = event(bob, 1, now - 50, "hi alice", tag("p", alicePk));
        for (Event e : List.of(note, profile, article, deletion, wrapToAlice, bobMentionsAlice)) {
            accepted(c.publish(e));
        }
        Event request = vanish(alice, now - 10, relay.publicUrl());
        RelayMessage.Ok ok = c.publish(request);
        assertTrue(ok.accepted(), ok.message());

        WsClient reader = connect();
        assertEquals(List.of(), reader.query("alice", authors(alice)), "everything of hers, deletion requests included");
        assertEquals(List.of(bobMentionsAlice.id()), reader.query("to-alice", Filter.builder().tag('p', alicePk).build()),
                "gift wraps to her go, other people's events stay");
        assertEquals(List.of(), reader.query("request", Filter.builder().kinds(62).authors(alicePk).build()),
                "the request is not stored");

        for (Event old : List.of(note, profile, article, wrapToAlice)) {
            RelayMessage.Ok again = connect().publish(old);
            assertFalse(again.accepted(), "re-broadcast of " + old.kind());
            assertEquals("blocked", again.prefix(), again.message());
        }
        // Her events after the request are new ones.
        Event fresh = event(alice, 1, now, "a new start");
        accepted(c.publish(fresh));
        assertEquals(List.of(fresh.id()), connect().query("after", authors(alice)));
    }

    @Test
    void nip62AllRelaysAndNormalisedUrlsAddressThisRelay() {
        WsClient c = connect();
        Event note = event(alice, 1, now - 100, "note");
        accepted(c.publish(note));
        accepted(c.publish(vanish(alice, now - 10, "wss://elsewhere.example", "ALL_RELAYS")));
        assertEquals(List.of(), c.query("a", authors(alice)));

        Event bobs = event(bob, 1, now - 100, "bob's note");
        accepted(c.publish(bobs));
        // Upper-case scheme and host, no trailing slash: the same URL (RFC 3986 normalisation).
        String url = relay.publicUrl().replace("ws://127.0.0.1", "WS://127.0.0.1");
        url = url.substring(0, url.length() - 1);
        accepted(c.publish(vanish(bob, now - 10, url)));
        assertEquals(List.of(), c.query("b", authors(bob)));
    }

    @Test
    void nip62RequestsNotNamingThisRelayAreRefusedAndEraseNothing() {
        WsClient c = connect();
        Event note = event(alice, 1, now - 100, "note");
        accepted(c.publish(note));
        List<Event> refused = List.of(
                vanish(alice, now - 10),
                vanish(alice, now - 10, "wss://elsewhere.example/"),
                vanish(alice, now - 10, "all_relays"),
                vanish(alice, now - 10, "not a url"),
                event(alice, 62, now - 10, "relay tag without value", tag("relay")));
        for (Event r : refused) {
            RelayMessage.Ok ok = c.publish(r);
            assertFalse(ok.accepted(), r.tags().toString());
            assertEquals("invalid", ok.prefix(), ok.message());
        }
        assertEquals(List.of(note.id()), c.query("kept", authors(alice)));
        accepted(c.publish(event(alice, 1, now, "the connection still works")));
    }

    @Test
    void nip62BannedAuthorsCanStillVanish() throws Exception {
        WsClient c = connect();
        Event note = event(alice, 1, now - 100, "note");
        accepted(c.publish(note));
        storage.moderation().banPubkey(alice.publicKey().hex(), "spam");
        relay.reloadModeration();
        try {
            RelayMessage.Ok blocked = c.publish(event(alice, 1, now - 50, "while banned"));
            assertEquals("blocked", blocked.prefix(), blocked.message());
            accepted(c.publish(vanish(alice, now - 10, relay.publicUrl())));
            assertEquals(List.of(), c.query("gone", Filter.builder().ids(note.id()).build()));
        } finally {
            storage.moderation().unbanPubkey(alice.publicKey().hex());
            relay.reloadModeration();
        }
    }

    @Test
    void nip62RequestIsNotBroadcastToSubscribers() {
        WsClient listener = connect();
        listener.query("vanish", Filter.builder().kinds(62).build());
        WsClient c = connect();
        Event request = vanish(alice, now - 10, relay.publicUrl());
        accepted(c.publish(request));
        // Barrier: an event published afterwards arrives; the request never did.
        listener.query("barrier", authors(bob));
        Event after = event(bob, 1, now, "after");
        accepted(c.publish(after));
        listener.awaitEvent("barrier", after.id());
        assertFalse(listener.eventIds("vanish").contains(request.id()));
    }

    @Test
    void nip62AWiderRequestLaterErasesMore() {
        WsClient c = connect();
        Event early = event(alice, 1, now - 200, "early");
        Event middle = event(alice, 1, now - 100, "middle");
        accepted(c.publish(early));
        accepted(c.publish(middle));
        accepted(c.publish(vanish(alice, now - 150, "ALL_RELAYS")));
        assertEquals(List.of(middle.id()), c.query("one", authors(alice)));
        accepted(c.publish(vanish(alice, now - 50, "ALL_RELAYS")));
        assertEquals(List.of(), c.query("none", authors(alice)));
    }

    @Test
    void nip62VanishesAreCountedInMetrics() {
        double requests = MetricsText.value(relay.metrics(), "parrhesia_removal_requests_total{nip=\"nip62\"}");
        double removed = MetricsText.value(relay.metrics(), "parrhesia_events_removed_total{nip=\"nip62\"}");
        WsClient c = connect();
        accepted(c.publish(event(alice, 1, now - 30, "a")));
        accepted(c.publish(event(alice, 1, now - 29, "b")));
        accepted(c.publish(vanish(alice, now - 10, "ALL_RELAYS")));
        assertEquals(requests + 1, MetricsText.value(relay.metrics(), "parrhesia_removal_requests_total{nip=\"nip62\"}"));
        assertEquals(removed + 2, MetricsText.value(relay.metrics(), "parrhesia_events_removed_total{nip=\"nip62\"}"));
    }
}
