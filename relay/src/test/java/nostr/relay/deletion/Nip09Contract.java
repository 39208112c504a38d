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
import nostr.relay.store.TestEvents;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.MetricsText;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NIP-09 "Event Deletion Request" over real WebSockets: "Relays SHOULD delete or stop publishing
 * any referenced events that have an identical pubkey", "continue to publish/share the deletion
 * request events", `a` tags delete "all versions ... up to the created_at" of the request,
 * deleting a deletion request "has no effect"; plus what this relay adds: re-submission of a
 * deleted event is refused, also for events it had not received yet, and malformed requests are
 * refused {@code invalid:} with nothing stored. One subclass per storage adapter.
 */
public abstract class Nip09Contract extends LiveRelayContract {
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

    @Test
    void nip09DeletesTheAuthorsEventsNamedByETagsAndServesTheRequest() {
        WsClient c = connect();
        Event a1 = event(alice, 1, now - 30, "a1");
        Event a2 = event(alice, 1, now - 20, "a2");
        Event b1 = event(bob, 1, now - 25, "b1");
        accepted(c.publish(a1));
        accepted(c.publish(a2));
        accepted(c.publish(b1));
        Event request = event(alice, 5, now - 10, "posted by accident", tag("e", a1.id()), tag("e", b1.id()), tag("k", "1"));
        RelayMessage.Ok ok = c.publish(request);
        assertTrue(ok.accepted(), ok.message());
        assertEquals("", ok.message());

        WsClient reader = connect();
        assertEquals(TestEvents.nip01Order(List.of(request, a2)), reader.query("alice", authors(alice)));
        assertEquals(List.of(b1.id()), reader.query("bob", authors(bob)), "other authors' events are not deleted");
        assertEquals(List.of(), reader.query("gone", Filter.builder().ids(a1.id()).build()));
        assertEquals(List.of(request.id()), reader.query("requests", Filter.builder().kinds(5).authors(alice.publicKey().hex()).build()));

        RelayMessage.Ok again = connect().publish(a1);
        assertFalse(again.accepted());
        assertEquals("blocked", again.prefix(), again.message());
        assertTrue(again.message().contains("deleted"), again.message());
        assertEquals(List.of(), connect().query("still-gone", Filter.builder().ids(a1.id()).build()));
    }

    @Test
    void nip09DeletionOfAnEventNotYetReceivedRefusesItWhenItArrives() {
        WsClient c = connect();
        Event later = event(alice, 1, now - 50, "sent to this relay after its deletion");
        accepted(c.publish(event(alice, 5, now - 5, "", tag("e", later.id()))));
        RelayMessage.Ok ok = c.publish(later);
        assertFalse(ok.accepted());
        assertEquals("blocked", ok.prefix(), ok.message());
        assertEquals(List.of(), c.query("none", Filter.builder().ids(later.id()).build()));
        // Someone else's event with the id a request named is theirs to keep (a request binds its own author only).
        Event bobs = event(bob, 1, now - 40, "bob's");
        accepted(c.publish(event(alice, 5, now - 4, "", tag("e", bobs.id()))));
        accepted(c.publish(bobs));
    }

    @Test
    void nip09ATagDeletesVersionsUpToTheRequestsCreatedAtOnly() {
        WsClient c = connect();
        String address = "30023:" + alice.publicKey().hex() + ":slug";
        Event v1 = event(alice, 30023, now - 100, "v1", tag("d", "slug"));
        Event profile = event(alice, 0, now - 100, "{\"name\":\"alice\"}");
        Event otherSlug = event(alice, 30023, now - 100, "other", tag("d", "other"));
        accepted(c.publish(v1));
        accepted(c.publish(profile));
        accepted(c.publish(otherSlug));
        accepted(c.publish(event(alice, 5, now - 50, "", tag("a", address), tag("a", "0:" + alice.publicKey().hex() + ":"))));

        Filter articles = Filter.builder().authors(alice.publicKey().hex()).kinds(30023, 0).build();
        assertEquals(List.of(otherSlug.id()), c.query("after", articles));
        Event older = event(alice, 30023, now - 60, "an older version", tag("d", "slug"));
        RelayMessage.Ok refused = c.publish(older);
        assertFalse(refused.accepted());
        assertEquals("blocked", refused.prefix(), refused.message());
        // A version newer than the request is a new article and is kept.
        Event newer = event(alice, 30023, now - 40, "rewritten", tag("d", "slug"));
        accepted(c.publish(newer));
        Event newProfile = event(alice, 0, now - 30, "{\"name\":\"alice again\"}");
        accepted(c.publish(newProfile));
        assertEquals(TestEvents.nip01Order(List.of(newer, newProfile, otherSlug)), c.query("later", articles));
    }

    @Test
    void nip09ATagOfAnotherAuthorsAddressHasNoEffect() {
        WsClient c = connect();
        Event bobsArticle = event(bob, 30023, now - 100, "bob's", tag("d", "slug"));
        accepted(c.publish(bobsArticle));
        accepted(c.publish(event(alice, 5, now - 10, "", tag("a", "30023:" + bob.publicKey().hex() + ":slug"))));
        assertEquals(List.of(bobsArticle.id()), c.query("kept", authors(bob)));
    }

    @Test
    void nip09DeletingADeletionRequestHasNoEffect() {
        WsClient c = connect();
        Event note = event(alice, 1, now - 30, "note");
        accepted(c.publish(note));
        Event first = event(alice, 5, now - 20, "", tag("e", note.id()));
        accepted(c.publish(first));
        Event second = event(alice, 5, now - 10, "undo", tag("e", first.id()));
        accepted(c.publish(second));
        assertEquals(List.of(second.id(), first.id()), c.query("both", authors(alice)));
        RelayMessage.Ok noteAgain = connect().publish(note);
        assertFalse(noteAgain.accepted(), "the first request still holds");
    }

    @Test
    void nip09ResendingARequestIsAcknowledgedDuplicateAndChangesNothing() {
        WsClient c = connect();
        Event note = event(alice, 1, now - 30, "note");
        accepted(c.publish(note));
        Event request = event(alice, 5, now - 10, "", tag("e", note.id()));
        accepted(c.publish(request));
        RelayMessage.Ok again = connect().publish(request);
        assertTrue(again.accepted());
        assertEquals("duplicate", again.prefix(), again.message());
        assertEquals(List.of(request.id()), c.query("one", authors(alice)));
    }

    @Test
    void nip09LiveSubscribersReceiveTheRequestAfterTheDeletion() {
        WsClient listener = connect();
        listener.query("deletions", Filter.builder().kinds(5).authors(alice.publicKey().hex()).build());
        WsClient c = connect();
        Event note = event(alice, 1, now - 30, "note");
        accepted(c.publish(note));
        Event request = event(alice, 5, now - 10, "", tag("e", note.id()));
        accepted(c.publish(request));
        listener.awaitEvent("deletions", request.id());
        assertEquals(List.of(), connect().query("check", Filter.builder().ids(note.id()).build()));
    }

    @Test
    void nip09MalformedRequestsAreRefusedInvalidAndNothingIsStored() {
        WsClient c = connect();
        Event note = event(alice, 1, now - 30, "note");
        accepted(c.publish(note));
        List<Event> bad = List.of(
                event(alice, 5, now - 10, "no targets"),
                event(alice, 5, now - 10, "only k", tag("k", "1")),
                event(alice, 5, now - 10, "bad e", tag("e", note.id()), tag("e", "not-an-id")),
                event(alice, 5, now - 10, "upper-case e", tag("e", note.id().toUpperCase())),
                event(alice, 5, now - 10, "empty e", tag("e")),
                event(alice, 5, now - 10, "regular kind a", tag("a", "1:" + alice.publicKey().hex() + ":x")),
                event(alice, 5, now - 10, "short a", tag("a", "30023")),
                event(alice, 5, now - 10, "kind too big", tag("a", "99999:" + alice.publicKey().hex() + ":x")),
                event(alice, 5, now - 10, "bad pubkey", tag("a", "30023:alice:x")));
        for (Event e : bad) {
            RelayMessage.Ok ok = c.publish(e);
            assertFalse(ok.accepted(), e.content());
            assertEquals("invalid", ok.prefix(), e.content() + ": " + ok.message());
        }
        assertEquals(List.of(note.id()), c.query("intact", authors(alice)), "nothing stored, nothing deleted");
        accepted(c.publish(event(alice, 1, now, "the connection still works")));
    }

    @Test
    void nip09DeletionsAreCountedInMetrics() {
        double requests = MetricsText.value(relay.metrics(), "parrhesia_removal_requests_total{nip=\"nip09\"}");
        double removed = MetricsText.value(relay.metrics(), "parrhesia_events_removed_total{nip=\"nip09\"}");
        WsClient c = connect();
        Event a = event(alice, 1, now - 30, "a");
        Event b = event(alice, 1, now - 29, "b");
        accepted(c.publish(a));
        accepted(c.publish(b));
        accepted(c.publish(event(alice, 5, now - 10, "", tag("e", a.id()), tag("e", b.id()), tag("e", "ab".repeat(32)))));
        assertEquals(requests + 1, MetricsText.value(relay.metrics(), "parrhesia_removal_requests_total{nip=\"nip09\"}"));
        assertEquals(removed + 2, MetricsText.value(relay.metrics(), "parrhesia_events_removed_total{nip=\"nip09\"}"));
    }
}
