package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import nostr.core.keys.SecretKey;
import nostr.relay.config.PolicyConfig.AccessMode;
import nostr.relay.policy.ModerationLists;
import org.junit.jupiter.api.Test;

/** Stage 3: bans (blocked:) and the access modes open, allowlist and members (restricted:). */
class AccessStageTest {
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();
    private final SecretKey carol = SecretKey.generate();
    private final AtomicReference<ModerationLists> lists = new AtomicReference<>(ModerationLists.open());

    private String pk(SecretKey k) {
        return k.publicKey().hex();
    }

    @Test
    void nip86BansAreBlockedWithTheOperatorsReason() {
        AccessStage open = new AccessStage(AccessMode.OPEN, lists::get);
        var e = event(alice, 1, NOW, "x");
        lists.set(new ModerationLists(Map.of(pk(alice), "spam"), Map.of(), Set.of(), Set.of()));
        assertEquals("blocked: this pubkey is banned from this relay (spam)", open.check(request(e)));
        lists.set(new ModerationLists(Map.of(), Map.of(e.id(), ""), Set.of(), Set.of()));
        assertEquals("blocked: this event is banned from this relay", open.check(request(e)));
        lists.set(new ModerationLists(Map.of(pk(alice), "spam"), Map.of(), Set.of(pk(alice)), Set.of()));
        assertTrue(open.check(request(e)).startsWith("blocked:"), "a ban beats the allowlist");
    }

    @Test
    void nip62RequestToVanishPassesWhateverTheAuthorsStatus() {
        lists.set(new ModerationLists(Map.of(pk(alice), "spam"), Map.of(), Set.of(pk(bob)), Set.of()));
        for (AccessMode mode : AccessMode.values()) {
            assertNull(new AccessStage(mode, lists::get).check(request(event(alice, 62, NOW, "", nostr.relay.store.TestEvents.tag("relay", "ALL_RELAYS")))),
                    mode.name());
        }
    }

    @Test
    void openModeRestrictsOnlyWhenTheStoreHasAnAllowlist() {
        AccessStage open = new AccessStage(AccessMode.OPEN, lists::get);
        assertNull(open.check(request(event(alice, 1, NOW, "x"))));
        lists.set(new ModerationLists(Map.of(), Map.of(), Set.of(pk(bob)), Set.of()));
        assertTrue(open.check(request(event(alice, 1, NOW, "x"))).startsWith("restricted:"));
        assertNull(open.check(request(event(bob, 1, NOW, "x"))));
    }

    @Test
    void allowlistModeWithAnEmptyListLetsNobodyWrite() {
        AccessStage allowlist = new AccessStage(AccessMode.ALLOWLIST, lists::get);
        assertTrue(allowlist.check(request(event(alice, 1, NOW, "x"))).startsWith("restricted:"));
        lists.set(new ModerationLists(Map.of(), Map.of(), Set.of(pk(alice)), Set.of()));
        assertNull(allowlist.check(request(event(alice, 1, NOW, "x"))));
        assertTrue(allowlist.check(request(event(bob, 1, NOW, "x"))).startsWith("restricted:"));
    }

    @Test
    void nip43MembersModeAdmitsMembersAndAllowlistedPubkeys() {
        AccessStage members = new AccessStage(AccessMode.MEMBERS, lists::get);
        lists.set(new ModerationLists(Map.of(), Map.of(), Set.of(pk(carol)), Set.of(), Map.of(), Set.of(pk(alice))));
        assertNull(members.check(request(event(alice, 1, NOW, "member"))));
        assertNull(members.check(request(event(carol, 1, NOW, "allowlisted"))));
        String refused = members.check(request(event(bob, 1, NOW, "stranger")));
        assertTrue(refused.startsWith("restricted:") && refused.contains("members"), refused);
    }
}
