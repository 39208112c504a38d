package nostr.relay.membership;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.relay.config.MembershipSettings;
import nostr.relay.config.RelayConfig;
import nostr.relay.store.GroupStore;
import nostr.relay.store.Query;
import nostr.relay.store.StoreException;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.MetricsText;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NIP-43 "Relay Access Metadata and Requests" over real WebSockets, with {@code
 * membership_invites = anyone}: invite claims (kind 28935) "generated on the fly when requested"
 * and signed by NIP-11 {@code self}; join requests (kind 28934) with a {@code claim}, "created_at
 * MUST be now, plus or minus a few minutes", answered with OK ("restricted:" for failed claims,
 * "duplicate:" for members); leave requests (kind 28936) with a NIP-70 {@code -} tag; the relay's
 * kind 13534 list and 8000/8001 events; kind 33534 roles; forged relay events refused; the
 * membership durable in the store and the list repaired at start. One subclass per storage adapter.
 */
public abstract class Nip43Contract extends LiveRelayContract {
    private SecretKey user;
    private long now;

    @Override
    protected RelayConfig configure(RelayConfig base) {
        return base.withMembership(new MembershipSettings(MembershipSettings.InvitePolicy.ANYONE, Duration.ofHours(1)));
    }

    @BeforeEach
    void freshKeys() {
        user = SecretKey.generate();
        now = now();
    }

    /** The relay's own key, as the operator holds it (the key file in the data directory). */
    private SecretKey relayKey() throws Exception {
        return SecretKey.parse(Files.readString(dataDir.resolve("relay.key")));
    }

    private String self() {
        return relay.identity().pubkey();
    }

    /** Asks for an invite claim and returns it (it arrives before EOSE). */
    private Event claim(WsClient c, String sub) {
        List<String> ids = c.query(sub, Filter.builder().kinds(Membership.INVITE).build());
        assertEquals(1, ids.size(), "one claim per request");
        return c.awaitFirst("claim", RelayMessage.EventMsg.class, m -> m.subscriptionId().equals(sub)).event();
    }

    private Event join(SecretKey key, String code, long at) {
        return event(key, Membership.JOIN, at, "", tag("-"), tag("claim", code));
    }

    private WsClient authed(SecretKey key) {
        WsClient c = connect();
        RelayMessage.Ok ok = c.authenticate(key, relay.publicUrl());
        assertTrue(ok.accepted(), ok.message());
        return c;
    }

    private boolean isMember(SecretKey key) throws StoreException {
        return storage.groups().isMember(GroupStore.RELAY, key.publicKey().hex());
    }

    /** The newest stored membership list by the relay. */
    private Event latestList() throws StoreException {
        Filter f = Filter.builder().authors(self()).kinds(Membership.LIST).build();
        List<Event> found = new ArrayList<>();
        storage.events().query(new Query(List.of(new Query.Part(f, 1)), 1, now() + 60), e -> {
            try {
                found.add(Event.parse(e.json()));
            } catch (nostr.core.event.InvalidEventException x) {
                throw new AssertionError(x);
            }
            return false;
        });
        return found.isEmpty() ? null : found.getFirst();
    }

    private static List<String> memberTag(Event list, String pubkey) {
        for (List<String> t : list.tags()) {
            if (t.size() >= 2 && t.get(0).equals("member") && t.get(1).equals(pubkey)) {
                return t;
            }
        }
        return null;
    }

    /** Waits until the stored list lists {@code pubkey} (or does not), the list being published after the OK. */
    private Event awaitListed(String pubkey, boolean listed) {
        Event[] seen = new Event[1];
        MessageLog.until("membership list " + (listed ? "with " : "without ") + pubkey, () -> {
            try {
                seen[0] = latestList();
            } catch (StoreException e) {
                throw new AssertionError(e);
            }
            return seen[0] != null && (memberTag(seen[0], pubkey) != null) == listed;
        });
        return seen[0];
    }

    // ---- NIP-11 self and invite claims ---------------------------------------------------------

    @Test
    void nip43SelfIsAdvertisedInNip11WithNip43() throws Exception {
        URI uri = URI.create(relay.url().replace("ws://", "http://"));
        String doc = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Accept", "application/nostr+json").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(doc.contains("\"self\":\"" + self() + "\""), doc);
        assertEquals(relayKey().publicKey().hex(), self());
        assertTrue(doc.matches(".*\"supported_nips\":\\[[0-9,]*\\b43\\b[0-9,]*].*"), doc);
    }

    @Test
    void nip43InviteClaimsAreRelaySignedGeneratedPerRequestAndNeverStored() throws Exception {
        WsClient c = connect();
        Event first = claim(c, "invite-1");
        assertEquals(self(), first.pubkey());
        assertEquals(Membership.INVITE, first.kind());
        assertTrue(first.isValid());
        assertTrue(first.isProtected(), "a NIP-70 - tag");
        String code = first.tagValue("claim");
        assertTrue(code != null && code.length() >= 16, String.valueOf(code));
        assertTrue(Long.parseLong(first.tagValue("expiration")) > now, "expires in the future");
        Event second = claim(c, "invite-2");
        assertNotEquals(code, second.tagValue("claim"), "a different claim per request");
        assertTrue(storage.events().get(first.id()).isEmpty(), "claims are not stored");
        // A filter the claim does not match gets none.
        assertEquals(List.of(), c.query("other-author", Filter.builder().kinds(Membership.INVITE)
                .authors(user.publicKey().hex()).build()));
        assertEquals(List.of(), c.query("zero", Filter.builder().kinds(Membership.INVITE).limit(0).build()));
    }

    // ---- join ---------------------------------------------------------------------------------

    @Test
    void nip43JoinWithAClaimMakesAMemberAndTheRelayPublishesItsListAndAnAddEvent() throws Exception {
        String code = claim(connect(), "invite").tagValue("claim");
        WsClient c = authed(user);
        RelayMessage.Ok ok = c.publish(join(user, code, now));
        assertTrue(ok.accepted(), ok.message());
        assertEquals("info: welcome to " + relay.publicUrl() + "!", ok.message());
        assertTrue(isMember(user));

        Event list = awaitListed(user.publicKey().hex(), true);
        assertEquals(self(), list.pubkey());
        assertTrue(list.isValid() && list.isProtected());
        List<String> adds = connect().query("adds", Filter.builder().kinds(Membership.ADD).tag('p', user.publicKey().hex()).build());
        assertEquals(1, adds.size());

        // The same code again: used up.
        SecretKey other = SecretKey.generate();
        RelayMessage.Ok reused = authed(other).publish(join(other, code, now));
        assertFalse(reused.accepted());
        assertEquals("restricted", reused.prefix(), reused.message());
        assertFalse(isMember(other));

        // A member asking again is told so, and the fresh code stays usable.
        String fresh = claim(connect(), "invite-again").tagValue("claim");
        RelayMessage.Ok again = c.publish(join(user, fresh, now + 1));
        assertTrue(again.accepted());
        assertEquals("duplicate", again.prefix(), again.message());
        assertTrue(authed(other).publish(join(other, fresh, now)).accepted(), "the code was not spent");
        assertTrue(isMember(other));
    }

    @Test
    void nip43JoinWithoutTheProtectedTagNeedsNoAuth() throws Exception {
        String code = claim(connect(), "invite").tagValue("claim");
        RelayMessage.Ok ok = connect().publish(event(user, Membership.JOIN, now, "", tag("claim", code)));
        assertTrue(ok.accepted(), ok.message());
        assertTrue(isMember(user));
    }

    @Test
    void nip43JoinRequestsAreNeitherStoredNorBroadcast() throws Exception {
        WsClient listener = connect();
        listener.query("joins", Filter.builder().kinds(Membership.JOIN).build());
        String code = claim(connect(), "invite").tagValue("claim");
        Event request = join(user, code, now);
        assertTrue(authed(user).publish(request).accepted());
        SecretKey marker = SecretKey.generate();
        listener.query("barrier", Filter.builder().authors(marker.publicKey().hex()).build());
        Event after = event(marker, 1, now, "after");
        assertTrue(connect().publish(after).accepted());
        listener.awaitEvent("barrier", after.id());
        assertFalse(listener.eventIds("joins").contains(request.id()), "the claim code is never broadcast");
        assertTrue(storage.events().get(request.id()).isEmpty());
    }

    @Test
    void nip43BadJoinRequestsAreRefusedAndChangeNothing() throws Exception {
        WsClient c = authed(user);
        String code = claim(connect(), "invite").tagValue("claim");
        List<Event> invalid = List.of(
                event(user, Membership.JOIN, now, "", tag("-")),
                event(user, Membership.JOIN, now, "", tag("-"), tag("claim")),
                event(user, Membership.JOIN, now, "", tag("-"), tag("claim", "  ")),
                join(user, code, now - Membership.REQUEST_WINDOW_SECONDS - 60),
                join(user, code, now + Membership.REQUEST_WINDOW_SECONDS + 60));
        for (Event e : invalid) {
            RelayMessage.Ok ok = c.publish(e);
            assertFalse(ok.accepted(), e.tags() + " at " + (e.createdAt() - now));
            assertEquals("invalid", ok.prefix(), ok.message());
        }
        RelayMessage.Ok unknown = c.publish(join(user, "no-such-code", now));
        assertFalse(unknown.accepted());
        assertEquals("restricted", unknown.prefix(), unknown.message());
        storage.groups().createInvite(new GroupStore.Invite("expired-" + now, GroupStore.RELAY, self(), now - 10));
        RelayMessage.Ok expired = c.publish(join(user, "expired-" + now, now + 2));
        assertFalse(expired.accepted());
        assertEquals("restricted", expired.prefix(), expired.message());
        assertFalse(isMember(user));
        assertTrue(c.publish(join(user, code, now + 3)).accepted(), "the good code still works, the connection too");
    }

    // ---- leave --------------------------------------------------------------------------------

    @Test
    void nip43LeaveEndsTheMembershipAndTheRelayPublishesARemoveEvent() throws Exception {
        String code = claim(connect(), "invite").tagValue("claim");
        WsClient c = authed(user);
        assertTrue(c.publish(join(user, code, now)).accepted());
        awaitListed(user.publicKey().hex(), true);

        RelayMessage.Ok noTag = c.publish(event(user, Membership.LEAVE, now, ""));
        assertFalse(noTag.accepted());
        assertEquals("invalid", noTag.prefix(), noTag.message());
        RelayMessage.Ok notAuthed = connect().publish(event(user, Membership.LEAVE, now + 1, "", tag("-")));
        assertFalse(notAuthed.accepted());
        assertEquals("auth-required", notAuthed.prefix(), notAuthed.message());
        assertTrue(isMember(user));

        RelayMessage.Ok ok = c.publish(event(user, Membership.LEAVE, now + 2, "", tag("-")));
        assertTrue(ok.accepted(), ok.message());
        assertEquals("info: you are no longer a member of " + relay.publicUrl(), ok.message());
        assertFalse(isMember(user));
        awaitListed(user.publicKey().hex(), false);
        assertEquals(1, connect().query("removes", Filter.builder().kinds(Membership.REMOVE)
                .tag('p', user.publicKey().hex()).build()).size());
        RelayMessage.Ok again = c.publish(event(user, Membership.LEAVE, now + 3, "", tag("-")));
        assertTrue(again.accepted());
        assertEquals("duplicate", again.prefix(), again.message());
        RelayMessage.Ok stale = c.publish(event(user, Membership.LEAVE, now - Membership.REQUEST_WINDOW_SECONDS - 60, "", tag("-")));
        assertEquals("invalid", stale.prefix(), stale.message());
    }

    // ---- the operator ------------------------------------------------------------------------

    @Test
    void nip43OperatorAddsRemovesAndDefinesRolesWithTheRelayKey() throws Exception {
        SecretKey relayKey = relayKey();
        WsClient op = authed(relayKey);
        Event role = event(relayKey, Membership.ROLE, now, "", tag("-"), tag("d", "mod-" + now), tag("label", "moderator"),
                tag("description", "keeps order"), tag("color", "120"), tag("order", "2"));
        RelayMessage.Ok roleOk = op.publish(role);
        assertTrue(roleOk.accepted(), roleOk.message());
        assertTrue(storage.groups().roles(GroupStore.RELAY).contains(
                new GroupStore.Role("mod-" + now, "moderator", "keeps order", "120", 2)));
        assertEquals(List.of(role.id()), connect().query("role", Filter.builder().kinds(Membership.ROLE).authors(self())
                .tag('d', "mod-" + now).build()));

        Event add = event(relayKey, Membership.ADD, now, "", tag("-"), tag("p", user.publicKey().hex(), "mod-" + now));
        RelayMessage.Ok addOk = op.publish(add);
        assertTrue(addOk.accepted(), addOk.message());
        assertTrue(isMember(user));
        Event list = awaitListed(user.publicKey().hex(), true);
        assertEquals(List.of("member", user.publicKey().hex(), "mod-" + now), memberTag(list, user.publicKey().hex()));
        assertEquals(List.of(add.id()), connect().query("add", Filter.builder().ids(add.id()).build()), "stored as sent");

        RelayMessage.Ok removeOk = op.publish(event(relayKey, Membership.REMOVE, now + 1, "", tag("-"),
                tag("p", user.publicKey().hex())));
        assertTrue(removeOk.accepted(), removeOk.message());
        assertFalse(isMember(user));
        awaitListed(user.publicKey().hex(), false);

        RelayMessage.Ok badColor = op.publish(event(relayKey, Membership.ROLE, now, "", tag("-"), tag("d", "x"),
                tag("color", "400")));
        assertEquals("invalid", badColor.prefix(), badColor.message());
        RelayMessage.Ok badP = op.publish(event(relayKey, Membership.ADD, now, "", tag("-"), tag("p", "npub-not-hex")));
        assertEquals("invalid", badP.prefix(), badP.message());
    }

    @Test
    void nip43RelayEventsByOtherKeysAreRefused() throws Exception {
        WsClient c = authed(user);
        for (int kind : List.of(Membership.LIST, Membership.ADD, Membership.REMOVE, Membership.ROLE, Membership.INVITE)) {
            Event forged = event(user, kind, now, "", tag("-"), tag("p", user.publicKey().hex()), tag("d", "x"),
                    tag("claim", "x"), tag("member", user.publicKey().hex()));
            RelayMessage.Ok ok = c.publish(forged);
            assertFalse(ok.accepted(), "kind " + kind);
            assertEquals("restricted", ok.prefix(), ok.message());
        }
        assertFalse(isMember(user));
        SecretKey relayKey = relayKey();
        RelayMessage.Ok ownList = authed(relayKey).publish(event(relayKey, Membership.LIST, now, "", tag("-"),
                tag("member", user.publicKey().hex())));
        assertFalse(ownList.accepted());
        assertEquals("invalid", ownList.prefix(), ownList.message());
    }

    @Test
    void nip43JavaApiAddsRemovesAndInvites() throws Exception {
        assertTrue(relay.membership().add(user.publicKey().hex(), List.of("vip")));
        assertFalse(relay.membership().add(user.publicKey().hex(), List.of()));
        assertEquals(List.of("member", user.publicKey().hex(), "vip"), memberTag(awaitListed(user.publicKey().hex(), true),
                user.publicKey().hex()));
        assertTrue(relay.membership().remove(user.publicKey().hex()));
        assertFalse(relay.membership().remove(user.publicKey().hex()));
        awaitListed(user.publicKey().hex(), false);
        String code = relay.membership().invite(Duration.ofMinutes(5));
        assertTrue(authed(user).publish(join(user, code, now)).accepted());
        assertTrue(isMember(user));
    }

    @Test
    void nip43ListsGetStrictlyIncreasingCreatedAt() throws Exception {
        SecretKey a = SecretKey.generate();
        SecretKey b = SecretKey.generate();
        relay.membership().add(a.publicKey().hex(), List.of());
        long first = awaitListed(a.publicKey().hex(), true).createdAt();
        relay.membership().add(b.publicKey().hex(), List.of());
        Event latest = awaitListed(b.publicKey().hex(), true);
        assertTrue(latest.createdAt() > first, "the newer list must win the replaceable address");
        assertTrue(memberTag(latest, a.publicKey().hex()) != null);
    }

    @Test
    void nip43MembershipIsDurableAndTheListIsRepairedAtStart() throws Exception {
        // As if the relay stopped between recording a member and publishing its list.
        storage.groups().addMember(GroupStore.RELAY, user.publicKey().hex());
        assertTrue(latestList() == null || memberTag(latestList(), user.publicKey().hex()) == null);
        restartRelay(c -> c);
        assertTrue(isMember(user));
        assertTrue(memberTag(latestList(), user.publicKey().hex()) != null, "published while the relay starts");
    }

    @Test
    void nip43ChangesAreCountedInMetrics() throws Exception {
        double joins = MetricsText.value(relay.metrics(), "parrhesia_membership_changes_total{change=\"join\"}");
        double invites = MetricsText.value(relay.metrics(), "parrhesia_invites_issued_total");
        String code = claim(connect(), "invite").tagValue("claim");
        assertTrue(authed(user).publish(join(user, code, now)).accepted());
        assertEquals(joins + 1, MetricsText.value(relay.metrics(), "parrhesia_membership_changes_total{change=\"join\"}"));
        assertEquals(invites + 1, MetricsText.value(relay.metrics(), "parrhesia_invites_issued_total"));
    }
}
