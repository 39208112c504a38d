package nostr.relay.membership;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.relay.config.MembershipSettings;
import nostr.relay.config.MembershipSettings.InvitePolicy;
import nostr.relay.config.PolicyConfig;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.WsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NIP-43 with the access policy: who gets an invite claim ("relays ... only issuing claims to
 * certain users": {@code membership_invites} = members, the default, or nobody), and
 * {@code access_mode = members}, where a join admits its author at once, a leave shuts them out at
 * once, and the relay's own key may still publish its NIP-43 events. One subclass per storage adapter.
 */
public abstract class Nip43AccessContract extends LiveRelayContract {
    private SecretKey user;
    private long now;

    @BeforeEach
    void freshKeys() {
        user = SecretKey.generate();
        now = now();
    }

    private WsClient authed(SecretKey key) {
        WsClient c = connect();
        RelayMessage.Ok ok = c.authenticate(key, relay.publicUrl());
        assertTrue(ok.accepted(), ok.message());
        return c;
    }

    private SecretKey relayKey() throws Exception {
        return SecretKey.parse(Files.readString(dataDir.resolve("relay.key")));
    }

    private String askForClaim(WsClient c, String sub) {
        c.req(sub, Filter.builder().kinds(Membership.INVITE).build());
        c.await("EOSE or CLOSED for " + sub, ms -> ms.stream().anyMatch(m ->
                m instanceof RelayMessage.Eose e && e.subscriptionId().equals(sub)
                        || m instanceof RelayMessage.Closed x && x.subscriptionId().equals(sub)));
        for (RelayMessage m : c.parsed()) {
            if (m instanceof RelayMessage.Closed x && x.subscriptionId().equals(sub)) {
                return "CLOSED " + x.message();
            }
        }
        return "claim " + c.awaitFirst("claim", RelayMessage.EventMsg.class, m -> m.subscriptionId().equals(sub))
                .event().tagValue("claim");
    }

    @Test
    void nip43ByDefaultOnlyAuthenticatedMembersAndTheRelayGetClaims() throws Exception {
        restartRelay(c -> c);
        assertTrue(askForClaim(connect(), "anon").startsWith("CLOSED auth-required:"));
        assertTrue(askForClaim(authed(user), "stranger").startsWith("CLOSED restricted:"));
        relay.membership().add(user.publicKey().hex(), List.of());
        String member = askForClaim(authed(user), "member");
        assertTrue(member.startsWith("claim "), member);
        assertTrue(askForClaim(authed(relayKey()), "operator").startsWith("claim "));

        // A member's code admits a friend.
        SecretKey friend = SecretKey.generate();
        RelayMessage.Ok ok = authed(friend).publish(event(friend, Membership.JOIN, now, "", tag("-"),
                tag("claim", member.substring("claim ".length()))));
        assertTrue(ok.accepted(), ok.message());
    }

    @Test
    void nip43NobodyGetsClaimsWhenInvitesAreOff() throws Exception {
        restartRelay(c -> c.withMembership(new MembershipSettings(InvitePolicy.NOBODY, Duration.ofHours(1))));
        relay.membership().add(user.publicKey().hex(), List.of());
        assertTrue(askForClaim(authed(user), "member").startsWith("CLOSED restricted:"));
        assertTrue(askForClaim(connect(), "anon").startsWith("CLOSED restricted:"));
        // Operator invites still work.
        String code = relay.membership().invite(Duration.ofMinutes(5));
        SecretKey friend = SecretKey.generate();
        assertTrue(authed(friend).publish(event(friend, Membership.JOIN, now, "", tag("-"), tag("claim", code))).accepted());
    }

    @Test
    void nip43MembersAccessModeFollowsJoinsAndLeavesAtOnce() throws Exception {
        restartRelay(c -> c.withPolicy(c.policy().withAccessMode(PolicyConfig.AccessMode.MEMBERS))
                .withMembership(new MembershipSettings(InvitePolicy.ANYONE, Duration.ofHours(1))));
        WsClient c = authed(user);
        RelayMessage.Ok before = c.publish(event(user, 1, now, "before joining"));
        assertFalse(before.accepted());
        assertEquals("restricted", before.prefix(), before.message());

        String claim = askForClaim(connect(), "invite");
        RelayMessage.Ok join = c.publish(event(user, Membership.JOIN, now, "", tag("-"), tag("claim", claim.substring(6))));
        assertTrue(join.accepted(), "a non-member may ask to join: " + join.message());
        Event member = event(user, 1, now, "as a member");
        RelayMessage.Ok after = c.publish(member);
        assertTrue(after.accepted(), after.message());

        assertTrue(c.publish(event(user, Membership.LEAVE, now + 1, "", tag("-"))).accepted());
        RelayMessage.Ok left = c.publish(event(user, 1, now + 1, "after leaving"));
        assertFalse(left.accepted());
        assertEquals("restricted", left.prefix(), left.message());

        // The relay's own key is not a member, yet the operator's NIP-43 events get in.
        SecretKey relayKey = relayKey();
        SecretKey other = SecretKey.generate();
        RelayMessage.Ok add = authed(relayKey).publish(event(relayKey, Membership.ADD, now, "", tag("-"),
                tag("p", other.publicKey().hex())));
        assertTrue(add.accepted(), add.message());
        assertTrue(authed(other).publish(event(other, 1, now, "added by the operator")).accepted());
    }
}
