package nostr.relay.policy;

import static nostr.relay.policy.PolicyFixtures.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.config.KindSet;
import nostr.relay.config.PolicyConfig;
import nostr.relay.store.Visibility;
import org.junit.jupiter.api.Test;

/** The read policy shared by REQ and COUNT: NIP-42 read requirements, NIP-59 gift wraps, access modes, blocked IPs. */
class ReadRestrictionTest {
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();
    private ModerationLists lists = ModerationLists.open();

    private ReadRestriction restriction(PolicyConfig c) {
        return new ReadRestriction(c, () -> lists);
    }

    private static PolicyConfig auth(PolicyConfig.AuthMode mode, String readKinds) {
        return PolicyConfig.defaults().withAuth(new PolicyConfig.Auth(mode, KindSet.EMPTY, KindSet.parse("k", readKinds), 600));
    }

    private static String refusal(ReadRestriction.Decision d) {
        return assertInstanceOf(ReadRestriction.Decision.Refused.class, d).message();
    }

    private static ReadRestriction.Decision.Allowed allowed(ReadRestriction.Decision d) {
        return assertInstanceOf(ReadRestriction.Decision.Allowed.class, d);
    }

    @Test
    void nip59GiftWrapsNeedAuthWhenAskedForAndAreHiddenOtherwise() {
        ReadRestriction r = restriction(PolicyConfig.defaults());
        Filter wraps = Filter.builder().kinds(1059).build();
        assertTrue(refusal(r.restrict(List.of(wraps), client("192.0.2.1"))).startsWith("auth-required:"));
        assertTrue(refusal(r.restrict(List.of(Filter.builder().kinds(1, 1059).build()), client("192.0.2.1")))
                .startsWith("auth-required:"));
        var everything = allowed(r.restrict(List.of(Filter.builder().build()), client("192.0.2.1")));
        assertEquals(new Visibility(Set.of(), Set.of(1059), Set.of()), everything.visibility(), "wraps hidden, nobody is a recipient");
    }

    @Test
    void nip59AuthenticatedRecipientsSeeTheirWrapsAndTheFilterIsNarrowedToThem() {
        ReadRestriction r = restriction(PolicyConfig.defaults());
        String a = alice.publicKey().hex();
        String b = bob.publicKey().hex();
        var mine = allowed(r.restrict(List.of(Filter.builder().kinds(1059).build()), client("192.0.2.1", alice)));
        assertEquals(Set.of(a), mine.filters().getFirst().tags().get('p'));
        assertEquals(new Visibility(Set.of(), Set.of(1059), Set.of(a)), mine.visibility());
        var askedForBob = allowed(r.restrict(List.of(Filter.builder().kinds(1059).tag('p', b).build()), client("192.0.2.1", alice)));
        assertEquals(Set.of(), askedForBob.filters().getFirst().tags().get('p'), "bob's wraps: nothing for alice");
        var both = allowed(r.restrict(List.of(Filter.builder().kinds(1059).tag('p', a, b).build()), client("192.0.2.1", alice, bob)));
        assertEquals(Set.of(a, b), both.filters().getFirst().tags().get('p'));
        Filter mixed = Filter.builder().kinds(1, 1059).build();
        assertEquals(List.of(mixed), allowed(r.restrict(List.of(mixed), client("192.0.2.1", alice))).filters(),
                "mixed kinds are left to the visibility condition");
    }

    @Test
    void nip59OpenGiftWrapReadsRestrictNothing() {
        ReadRestriction r = restriction(PolicyConfig.defaults().withGiftWrapReads(PolicyConfig.GiftWrapReads.OPEN));
        var d = allowed(r.restrict(List.of(Filter.builder().kinds(1059).build()), client("192.0.2.1")));
        assertTrue(d.visibility().isEverything());
    }

    @Test
    void nip42ReadsOrAllNeedAuthentication() {
        for (PolicyConfig.AuthMode mode : new PolicyConfig.AuthMode[] {PolicyConfig.AuthMode.READS, PolicyConfig.AuthMode.ALL}) {
            ReadRestriction r = restriction(auth(mode, ""));
            assertTrue(refusal(r.restrict(List.of(Filter.builder().build()), client("192.0.2.1"))).startsWith("auth-required:"));
            allowed(r.restrict(List.of(Filter.builder().build()), client("192.0.2.1", alice)));
        }
        allowed(restriction(auth(PolicyConfig.AuthMode.WRITES, "")).restrict(List.of(Filter.builder().build()), client("192.0.2.1")));
    }

    @Test
    void nip42ReadKindsAreRefusedWhenNamedAndHiddenOtherwise() {
        ReadRestriction r = restriction(auth(PolicyConfig.AuthMode.NONE, "4"));
        String refused = refusal(r.restrict(List.of(Filter.builder().kinds(1, 4).build()), client("192.0.2.1")));
        assertTrue(refused.startsWith("auth-required:") && refused.contains("kind 4"), refused);
        assertEquals(Set.of(4), allowed(r.restrict(List.of(Filter.builder().build()), client("192.0.2.1"))).visibility().hiddenKinds());
        assertEquals(Set.of(), allowed(r.restrict(List.of(Filter.builder().kinds(4).build()), client("192.0.2.1", bob)))
                .visibility().hiddenKinds());
    }

    @Test
    void nip43MembersOnlyReadsAreRestrictedForAuthenticatedStrangers() {
        PolicyConfig members = auth(PolicyConfig.AuthMode.ALL, "").withAccessMode(PolicyConfig.AccessMode.MEMBERS);
        lists = new ModerationLists(Map.of(), Map.of(), Set.of(), Set.of(), Map.of(), Set.of(alice.publicKey().hex()));
        ReadRestriction r = restriction(members);
        allowed(r.restrict(List.of(Filter.builder().build()), client("192.0.2.1", alice)));
        assertTrue(refusal(r.restrict(List.of(Filter.builder().build()), client("192.0.2.1", bob))).startsWith("restricted:"));
        allowed(r.restrict(List.of(Filter.builder().build()), client("192.0.2.1", bob, alice)));
    }

    @Test
    void nip86BlockedAddressesCannotRead() {
        lists = new ModerationLists(Map.of(), Map.of(), Set.of(), Set.of(), Map.of("192.0.2.66", "scraper"), Set.of());
        String refused = refusal(restriction(PolicyConfig.defaults()).restrict(List.of(Filter.builder().build()), client("192.0.2.66")));
        assertEquals("blocked: your IP address is blocked on this relay (scraper)", refused);
    }
}
