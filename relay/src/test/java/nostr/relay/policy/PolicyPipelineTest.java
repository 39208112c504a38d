package nostr.relay.policy;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.client;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import nostr.relay.config.KindSet;
import nostr.relay.config.Limits;
import nostr.relay.config.PolicyConfig;
import org.junit.jupiter.api.Test;

/** The write policy's stage order: the first refusal wins, each labelled with its stage. */
class PolicyPipelineTest {
    private final SecretKey alice = SecretKey.generate();
    private final Limits limits = new Limits(1 << 16, 10, 10, 100, 20, 64, 3, 100, 100, 0, 600, 0, 0);

    private PolicyPipeline pipeline(PolicyConfig config, ModerationLists lists, KeyedBuckets perIp) {
        return PolicyPipeline.standard(limits, config, () -> lists, perIp, null);
    }

    @Test
    void stagesRunInTheDocumentedOrder() {
        PolicyPipeline p = pipeline(PolicyConfig.defaults(), ModerationLists.open(), null);
        assertEquals(List.of("shape", "ip", "access", "kind", "auth", "nip70", "pow", "rate", "expiry", "mls"), p.stageNames());
    }

    @Test
    void importsRunOnlyTheStagesAboutTheEventItself() {
        PolicyPipeline p = PolicyPipeline.forImport(limits, PolicyConfig.defaults(), ModerationLists::open);
        assertEquals(List.of("shape", "access", "kind", "expiry", "mls"), p.stageNames());
        Event protectedOld = event(alice, 1, NOW - 10 * 365 * 86400L, "from the archive", tag("-"));
        assertNull(p.check(request(protectedOld)), "no AUTH, created_at window or NIP-70 for an operator's import");
    }

    @Test
    void theFirstRefusalWinsAndNamesItsStage() {
        // An event breaking every rule at once: each refusal appears once the rules before it are lifted.
        PolicyConfig strict = PolicyConfig.defaults()
                .withKinds(KindSet.EMPTY, KindSet.of(1))
                .withAuth(new PolicyConfig.Auth(PolicyConfig.AuthMode.WRITES, KindSet.EMPTY, KindSet.EMPTY, 600))
                .withPow(new PolicyConfig.Pow(200, Map.of(), false));
        ModerationLists banned = new ModerationLists(Map.of(alice.publicKey().hex(), ""), Map.of(), Set.of(), Set.of(),
                Map.of("192.0.2.1", ""), Set.of());
        Event everything = event(alice, 1, NOW, "x", tag("-"), tag("expiration", "1"), tag("a", "1"), tag("b", "2"));
        Event fewerTags = event(alice, 1, NOW, "x", tag("-"), tag("expiration", "1"));
        KeyedBuckets empty = new KeyedBuckets(1, 1, 10);
        empty.tryTake("192.0.2.9", NOW * 1_000_000_000L);

        assertEquals("shape", pipeline(strict, banned, empty).check(request(everything)).stage());
        assertEquals("ip", pipeline(strict, banned, empty).check(request(fewerTags)).stage());
        ModerationLists bannedOnly = new ModerationLists(Map.of(alice.publicKey().hex(), ""), Map.of(), Set.of(), Set.of());
        assertEquals("access", pipeline(strict, bannedOnly, empty).check(request(fewerTags, client("192.0.2.9"))).stage());
        ModerationLists open = ModerationLists.open();
        assertEquals("kind", pipeline(strict, open, empty).check(request(fewerTags, client("192.0.2.9"))).stage());
        PolicyConfig noDeny = strict.withKinds(KindSet.EMPTY, KindSet.EMPTY);
        assertEquals("auth", pipeline(noDeny, open, empty).check(request(fewerTags, client("192.0.2.9"))).stage());
        SecretKey bob = SecretKey.generate();
        PolicyPipeline.Refusal nip70 = pipeline(noDeny, open, empty).check(request(fewerTags, client("192.0.2.9", bob)));
        assertEquals("nip70", nip70.stage());
        assertEquals("pow", pipeline(noDeny, open, empty).check(request(fewerTags, client("192.0.2.9", alice))).stage());
        PolicyConfig noPow = noDeny.withPow(PolicyConfig.Pow.defaults());
        assertEquals("rate", pipeline(noPow, open, empty).check(request(fewerTags, client("192.0.2.9", alice))).stage());
        PolicyPipeline.Refusal expiry = pipeline(noPow, open, null).check(request(fewerTags, client("192.0.2.9", alice)));
        assertEquals("expiry", expiry.stage());
        assertEquals("invalid", expiry.message().substring(0, expiry.message().indexOf(':')));
        PolicyConfig mls = noPow.withMls(new PolicyConfig.Mls(true, 60));
        Event oldGroupEvent = event(alice, 445, NOW - 61, "x", tag("h", "g"));
        assertEquals("mls", pipeline(mls, open, null).check(request(oldGroupEvent, client("192.0.2.9", alice))).stage());
        assertNull(pipeline(noPow, open, null).check(request(event(alice, 1, NOW, "fine", tag("-")), client("192.0.2.9", alice))));
    }
}
