package nostr.relay.access;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.message.ClientMessage;
import nostr.core.message.RelayMessage;
import nostr.core.nip42.Nip42;
import nostr.relay.config.KindSet;
import nostr.relay.config.PolicyConfig;
import nostr.relay.config.PolicyConfig.AccessMode;
import nostr.relay.config.PolicyConfig.AuthMode;
import nostr.relay.store.GroupStore;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * NIP-42 (challenge on connect, AUTH answered with OK, several pubkeys, auth-required for writes
 * and reads, per kind), NIP-70 (protected events only from their authenticated author) and the
 * access modes (allowlist, NIP-43 members), over real WebSockets; one subclass per store.
 */
public abstract class Nip42Contract extends AccessContractBase {

    private static PolicyConfig auth(AuthMode mode, String writeKinds, String readKinds) {
        return PolicyConfig.defaults().withAuth(new PolicyConfig.Auth(mode, KindSet.parse("w", writeKinds),
                KindSet.parse("r", readKinds), 600));
    }

    @Test
    void nip42ChallengeArrivesOnConnectAndAuthIsAnsweredWithOk() throws Exception {
        start(PolicyConfig.defaults());
        WsClient c = client();
        String challenge = c.challenge();
        assertEquals(32, challenge.length());
        assertEquals(RelayMessage.Auth.class, c.parsed().getFirst().getClass(), "the challenge is the first message");
        assertFalse(client().challenge().equals(challenge), "each connection gets its own challenge");
        RelayMessage.Ok ok = c.authenticate(alice, relay.publicUrl());
        assertTrue(ok.accepted(), ok.message());
        assertEquals("", ok.message());
        assertTrue(c.publish(event(alice, 1, now, "after auth")).accepted());
    }

    @Test
    void nip42BadAuthIsRefusedWithAReasonAndTheConnectionSurvives() throws Exception {
        start(PolicyConfig.defaults());
        WsClient c = client();
        String challenge = c.challenge();
        Event wrongChallenge = Nip42.authTemplate(relay.publicUrl(), "not-" + challenge).sign(alice);
        c.send(new ClientMessage.Auth(wrongChallenge).toJson());
        RelayMessage.Ok ok = c.awaitOk(wrongChallenge.id());
        assertFalse(ok.accepted());
        assertEquals("invalid", ok.prefix(), ok.message());
        assertTrue(ok.message().contains("challenge"), ok.message());
        Event wrongRelay = Nip42.authTemplate("wss://some.other.relay/", challenge).sign(alice);
        c.send(new ClientMessage.Auth(wrongRelay).toJson());
        assertTrue(c.awaitOk(wrongRelay.id()).message().contains("relay"));
        Event stale = new EventTemplate(now - 3600, Nip42.KIND, List.of(List.of("relay", relay.publicUrl()),
                List.of("challenge", challenge)), "").sign(alice);
        c.send(new ClientMessage.Auth(stale).toJson());
        assertTrue(c.awaitOk(stale.id()).message().contains("created_at"));
        Event tampered = Nip42.authTemplate(relay.publicUrl(), challenge).sign(alice);
        c.send("[\"AUTH\"," + tampered.json().replace(tampered.sig(), "00".repeat(64)) + "]");
        assertEquals("invalid", c.awaitOk(tampered.id()).prefix());
        c.send("[\"AUTH\"]");
        c.send("[\"AUTH\",\"" + challenge + "\"]");
        c.await("a NOTICE for each AUTH without an event", ms -> ms.stream()
                .filter(m -> m instanceof RelayMessage.Notice n && n.message().contains("AUTH needs an event object")).count() == 2);
        c.send("[\"AUTH\",{\"id\":\"" + "ab".repeat(32) + "\",\"kind\":\"x\"}]");
        assertEquals("invalid", c.awaitOk("ab".repeat(32)).prefix());
        // Nothing authenticated, nothing stored, and the connection still works.
        c.req("s", Filter.builder().kinds(Nip42.KIND).build());
        assertEquals(List.of(), c.awaitEose("s"));
        assertEquals(List.of(), stored(Filter.builder().kinds(Nip42.KIND).build()));
        assertTrue(c.publish(event(alice, 1, now, "still connected")).accepted());
        RelayMessage.Ok protectedRefused = c.publish(event(alice, 1, now, "protected", tag("-")));
        assertEquals("auth-required", protectedRefused.prefix(), "the failed AUTHs did not authenticate");
    }

    @Test
    void nip42AuthRequiredForEverythingRefusesUntilAuthenticated() throws Exception {
        start(auth(AuthMode.ALL, "", ""));
        WsClient c = client();
        Event e = event(alice, 1, now, "needs auth");
        RelayMessage.Ok refused = c.publish(e);
        assertFalse(refused.accepted());
        assertEquals("auth-required", refused.prefix(), refused.message());
        c.req("s", Filter.builder().authors(pk(alice)).build());
        assertTrue(c.awaitClosed("s").startsWith("auth-required:"));
        assertEquals(List.of(), stored(Filter.builder().ids(e.id()).build()), "nothing stored");
        assertTrue(c.authenticate(bob, relay.publicUrl()).accepted());
        Event after = event(alice, 1, now, "after auth");
        assertTrue(c.publish(after).accepted(), "any authenticated pubkey may publish");
        assertEquals(List.of(after.id()), c.query("s2", Filter.builder().authors(pk(alice)).build()));
    }

    @Test
    void nip42WritesOnlyModeLeavesReadsOpen() throws Exception {
        start(auth(AuthMode.WRITES, "", ""));
        WsClient c = client();
        assertEquals("auth-required", c.publish(event(alice, 1, now, "x")).prefix());
        assertEquals(List.of(), c.query("s", Filter.builder().authors(pk(alice)).build()));
    }

    @Test
    void nip42PerKindRequirementsForWritesAndReads() throws Exception {
        start(auth(AuthMode.NONE, "4", "4"));
        WsClient anonymous = client();
        Event note = event(alice, 1, now, "public");
        Event dm = event(alice, 4, now, "ciphertext?iv=x", tag("p", pk(bob)));
        assertTrue(anonymous.publish(note).accepted());
        RelayMessage.Ok refused = anonymous.publish(dm);
        assertEquals("auth-required", refused.prefix(), refused.message());
        WsClient authed = authed(alice);
        assertTrue(authed.publish(dm).accepted());
        anonymous.req("dms", Filter.builder().kinds(4).build());
        assertTrue(anonymous.awaitClosed("dms").startsWith("auth-required:"));
        assertEquals(List.of(note.id()), anonymous.query("all", Filter.builder().authors(pk(alice)).build()),
                "kind 4 is left out of a filter that does not name it");
        assertEquals(List.of(dm.id(), note.id()).stream().sorted().toList(),
                authed.query("all", Filter.builder().authors(pk(alice)).build()).stream().sorted().toList());
        // Live: a new kind 4 reaches the authenticated reader, not the anonymous one.
        anonymous.req("live", Filter.builder().authors(pk(alice)).build());
        anonymous.awaitEose("live");
        authed.req("live", Filter.builder().authors(pk(alice)).build());
        authed.awaitEose("live");
        Event dm2 = event(alice, 4, now + 1, "second dm", tag("p", pk(bob)));
        Event note2 = event(alice, 1, now + 1, "second note");
        assertTrue(authed.publish(dm2).accepted());
        assertTrue(authed.publish(note2).accepted());
        authed.awaitEvent("live", dm2.id());
        anonymous.awaitEvent("live", note2.id());
        assertFalse(anonymous.eventIds("live").contains(dm2.id()));
    }

    @Test
    void nip42SeveralPubkeysOnOneConnection() throws Exception {
        start(PolicyConfig.defaults());
        WsClient c = authed(alice, bob);
        assertTrue(c.publish(event(alice, 1, now, "alice's protected", tag("-"))).accepted());
        assertTrue(c.publish(event(bob, 1, now, "bob's protected", tag("-"))).accepted());
        assertEquals("restricted", c.publish(event(carol, 1, now, "carol's protected", tag("-"))).prefix());
    }

    @Test
    void nip70ProtectedEventsOnlyFromTheirAuthenticatedAuthor() throws Exception {
        start(PolicyConfig.defaults());
        Event e = event(alice, 1, now, "hello members of the secret group", tag("-"));
        WsClient anonymous = client();
        RelayMessage.Ok a = anonymous.publish(e);
        assertFalse(a.accepted());
        assertEquals("auth-required", a.prefix(), a.message());
        WsClient asBob = authed(bob);
        RelayMessage.Ok b = asBob.publish(e);
        assertFalse(b.accepted());
        assertEquals("restricted", b.prefix(), b.message());
        assertEquals(List.of(), stored(Filter.builder().ids(e.id()).build()));
        WsClient asAlice = authed(alice);
        assertTrue(asAlice.publish(e).accepted());
        assertEquals(List.of(e.id()), stored(Filter.builder().ids(e.id()).build()));
        assertEquals(List.of(e.id()), anonymous.query("read", Filter.builder().ids(e.id()).build()), "reading is not restricted");
    }

    @Test
    void accessModeAllowlistOnlyAcceptsAllowlistedAuthors() throws Exception {
        start(PolicyConfig.defaults().withAccessMode(AccessMode.ALLOWLIST));
        WsClient c = client();
        assertEquals("restricted", c.publish(event(alice, 1, now, "not yet")).prefix());
        storage.moderation().allowPubkey(pk(alice), "friend");
        try {
            relay.reloadModeration();
            assertTrue(c.publish(event(alice, 1, now, "now allowed")).accepted());
            assertEquals("restricted", c.publish(event(bob, 1, now, "bob is not")).prefix());
        } finally {
            storage.moderation().unallowPubkey(pk(alice));
        }
    }

    @Test
    void nip43MembersModeAcceptsMembersAndServesReadsOnlyToThem() throws Exception {
        start(auth(AuthMode.ALL, "", "").withAccessMode(AccessMode.MEMBERS));
        storage.groups().addMember(GroupStore.RELAY, pk(alice));
        try {
            relay.reloadModeration();
            WsClient member = authed(alice);
            Event e = event(alice, 1, now, "members only");
            assertTrue(member.publish(e).accepted());
            assertEquals(List.of(e.id()), member.query("s", Filter.builder().authors(pk(alice)).build()));
            WsClient stranger = authed(bob);
            RelayMessage.Ok refused = stranger.publish(event(bob, 1, now, "let me in"));
            assertEquals("restricted", refused.prefix(), refused.message());
            stranger.req("s", Filter.builder().authors(pk(alice)).build());
            assertTrue(stranger.awaitClosed("s").startsWith("restricted:"));
        } finally {
            storage.groups().removeMember(GroupStore.RELAY, pk(alice));
        }
    }
}
