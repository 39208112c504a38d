package nostr.relay.access;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.message.RelayMessage;
import nostr.core.nip17.PrivateDirectMessage;
import nostr.relay.config.PolicyConfig;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * NIP-17/NIP-44/NIP-59 private messages on the relay: kind 1059 gift wraps are readable only by a
 * connection authenticated (NIP-42) as a recipient named in their p tag ({@code giftwrap_reads =
 * recipient}), in the stored phase with limits counting only visible events, in live fan-out, and
 * never decrypted; {@code giftwrap_reads = open} serves them to anyone. One subclass per store.
 */
public abstract class GiftWrapContract extends AccessContractBase {

    /** Real NIP-17 wraps: the chat message from alice to bob, wrapped for bob and for alice herself. */
    private List<PrivateDirectMessage.Outgoing> dm(String text) {
        return PrivateDirectMessage.wrap(PrivateDirectMessage.chat(alice.publicKey(),
                List.of(PrivateDirectMessage.Recipient.of(bob.publicKey())), text, List.of()), alice);
    }

    private static Event wrapFor(List<PrivateDirectMessage.Outgoing> out, String recipientHex) {
        return out.stream().filter(o -> o.recipient().hex().equals(recipientHex)).findFirst().orElseThrow().wrap();
    }

    @Test
    void nip59GiftWrapsAreServedOnlyToTheirAuthenticatedRecipient() throws Exception {
        start(PolicyConfig.defaults());
        var wraps = dm("hello bob");
        Event toBob = wrapFor(wraps, pk(bob));
        Event toAlice = wrapFor(wraps, pk(alice));
        WsClient sender = client();
        assertTrue(sender.publish(toBob).accepted(), "writing a gift wrap needs no AUTH");
        assertTrue(sender.publish(toAlice).accepted());

        WsClient anonymous = client();
        anonymous.req("wraps", Filter.builder().kinds(1059).build());
        String closed = anonymous.awaitClosed("wraps");
        assertTrue(closed.startsWith("auth-required:"), closed);
        anonymous.req("byid", Filter.builder().ids(toBob.id()).build());
        assertEquals(List.of(), anonymous.awaitEose("byid"), "asking by id without naming the kind shows nothing either");

        WsClient asCarol = authed(carol);
        assertEquals(List.of(), asCarol.query("s", Filter.builder().kinds(1059).tag('p', pk(bob)).build()));
        assertEquals(List.of(), asCarol.query("s2", Filter.builder().ids(toBob.id(), toAlice.id()).build()));

        WsClient asBob = authed(bob);
        List<String> bobs = asBob.query("s", Filter.builder().kinds(1059).build());
        assertEquals(List.of(toBob.id()), bobs);
        RelayMessage.EventMsg got = asBob.awaitFirst("bob's wrap", RelayMessage.EventMsg.class, m -> m.subscriptionId().equals("s"));
        assertEquals("hello bob", PrivateDirectMessage.unwrap(got.event(), bob).rumor().content(),
                "served exactly as published: bob can open it");
        assertEquals(toBob.json(), got.event().json());

        WsClient both = authed(alice, bob);
        assertEquals(Set.of(toBob.id(), toAlice.id()), Set.copyOf(both.query("s", Filter.builder().kinds(1059).build())));
    }

    @Test
    void nip59LimitsCountOnlyTheWrapsAReaderMaySee() throws Exception {
        start(PolicyConfig.defaults());
        WsClient publisher = client();
        List<String> carolNotes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Event note = event(carol, 1, now - 100 + i, "carol " + i, tag("t", "mixed-" + pk(carol)));
            assertTrue(publisher.publish(note).accepted());
            carolNotes.add(0, note.id());
        }
        // The newest events are wraps for bob, tagged like carol's notes: a limit applied before
        // hiding them would leave carol's readers with nothing.
        for (int i = 0; i < 6; i++) {
            Event wrap = event(nostr.core.keys.SecretKey.generate(), 1059, now - 10 + i, "opaque " + i,
                    tag("p", pk(bob)), tag("t", "mixed-" + pk(carol)));
            assertTrue(publisher.publish(wrap).accepted());
        }
        Filter mixed = Filter.builder().tag('t', "mixed-" + pk(carol)).limit(3).build();
        assertEquals(carolNotes.subList(0, 3), client().query("anon", mixed));
        assertEquals(carolNotes.subList(0, 3), authed(alice).query("alice", mixed));
        List<String> bobs = authed(bob).query("bob", mixed);
        assertEquals(3, bobs.size());
        assertEquals(6 + 4, stored(Filter.builder().tag('t', "mixed-" + pk(carol)).build()).size());
    }

    @Test
    void nip59LiveGiftWrapsReachOnlyTheirRecipient() throws Exception {
        start(PolicyConfig.defaults());
        WsClient asBob = authed(bob);
        asBob.req("inbox", Filter.builder().kinds(1059).build());
        asBob.awaitEose("inbox");
        WsClient asCarol = authed(carol);
        asCarol.req("everything", Filter.builder().since(now - 86400 * 3).build());
        asCarol.awaitEose("everything");
        WsClient anonymous = client();
        anonymous.req("everything", Filter.builder().since(now - 86400 * 3).build());
        anonymous.awaitEose("everything");

        Event toBob = wrapFor(dm("live hello"), pk(bob));
        Event marker = event(carol, 1, now, "marker after the wrap");
        WsClient sender = client();
        assertTrue(sender.publish(toBob).accepted());
        assertTrue(sender.publish(marker).accepted());
        asBob.awaitEvent("inbox", toBob.id());
        asCarol.awaitEvent("everything", marker.id());
        anonymous.awaitEvent("everything", marker.id());
        assertFalse(asCarol.eventIds("everything").contains(toBob.id()));
        assertFalse(anonymous.eventIds("everything").contains(toBob.id()));
    }

    /** Sends COUNT and returns the count, or fails with the CLOSED message. */
    private static long count(WsClient c, String id, Filter f) {
        c.send(new nostr.core.message.ClientMessage.Count(id, List.of(f)).toJson());
        c.await("COUNT or CLOSED for " + id, ms -> ms.stream().anyMatch(m ->
                (m instanceof RelayMessage.Count n && n.subscriptionId().equals(id))
                        || (m instanceof RelayMessage.Closed x && x.subscriptionId().equals(id))));
        for (RelayMessage m : c.parsed()) {
            if (m instanceof RelayMessage.Count n && n.subscriptionId().equals(id)) {
                return n.count();
            }
        }
        throw new AssertionError("COUNT " + id + " was CLOSED: " + c.awaitClosed(id));
    }

    @Test
    void nip45CountSeesWhatReqSees() throws Exception {
        start(PolicyConfig.defaults());
        var wraps = dm("count me");
        WsClient sender = client();
        for (var w : wraps) {
            assertTrue(sender.publish(w.wrap()).accepted());
        }
        Event note = event(carol, 1, now, "a public note", tag("p", pk(bob)));
        assertTrue(sender.publish(note).accepted());
        WsClient anonymous = client();
        anonymous.send(new nostr.core.message.ClientMessage.Count("c1", List.of(Filter.builder().kinds(1059).build())).toJson());
        assertTrue(anonymous.awaitClosed("c1").startsWith("auth-required:"));
        assertEquals(1, count(anonymous, "c2", Filter.builder().tag('p', pk(bob)).build()),
                "only the note: bob's wrap is not counted for others");
        assertEquals(1, count(authed(carol), "c3", Filter.builder().tag('p', pk(bob)).kinds(1, 1059).build()),
                "carol counts the note, not bob's wrap");
        WsClient asBob = authed(bob);
        assertEquals(1, count(asBob, "c4", Filter.builder().kinds(1059).build()), "his own wrap, not alice's copy");
        assertEquals(2, count(asBob, "c5", Filter.builder().tag('p', pk(bob)).build()));
    }

    @Test
    void nip59OpenGiftWrapReadsServeEveryone() throws Exception {
        start(PolicyConfig.defaults().withGiftWrapReads(PolicyConfig.GiftWrapReads.OPEN));
        Event toBob = wrapFor(dm("public metadata"), pk(bob));
        WsClient c = client();
        assertTrue(c.publish(toBob).accepted());
        assertEquals(List.of(toBob.id()), c.query("s", Filter.builder().kinds(1059).tag('p', pk(bob)).build()));
    }

    @Test
    void nip59AuthenticatingAfterAClosedLetsTheRecipientRetry() throws Exception {
        start(PolicyConfig.defaults());
        Event toBob = wrapFor(dm("retry"), pk(bob));
        WsClient c = client();
        assertTrue(c.publish(toBob).accepted());
        c.req("inbox", Filter.builder().kinds(1059).build());
        assertTrue(c.awaitClosed("inbox").startsWith("auth-required:"));
        assertTrue(c.authenticate(bob, relay.publicUrl()).accepted());
        assertEquals(List.of(toBob.id()), c.query("inbox2", Filter.builder().kinds(1059).build()));
    }
}
