package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;
import nostr.core.nip13.Pow;
import nostr.relay.config.PolicyConfig;
import org.junit.jupiter.api.Test;

/** Stage 7: NIP-13 difficulty, per kind, and the committed target; pow:. */
class PowStageTest {
    private final SecretKey alice = SecretKey.generate();

    private Event mined(int kind, int difficulty) {
        EventTemplate t = Pow.mine(new EventTemplate(NOW, kind, List.of(), "mined"), alice.publicKey().hex(), difficulty, 1);
        return t.sign(alice);
    }

    /** An event committing to {@code target} whose id happens to reach {@code bits} (mined for bits, target rewritten by brute force). */
    private Event luckyLowCommitment(int bits, int target) {
        for (long n = 0; ; n++) {
            Event e = event(alice, 1, NOW, "lucky", tag("nonce", Long.toString(n), Integer.toString(target)));
            if (Pow.difficulty(e.id()) >= bits) {
                return e;
            }
        }
    }

    /** An event of {@code kind} whose id has fewer than {@code bits} leading zero bits. */
    private Event weak(int kind, int bits) {
        for (int i = 0; ; i++) {
            Event e = event(alice, kind, NOW, "no work " + i);
            if (Pow.difficulty(e.id()) < bits) {
                return e;
            }
        }
    }

    @Test
    void nip13DifficultyBelowTheMinimumIsRefused() {
        PowStage s = new PowStage(new PolicyConfig.Pow(8, Map.of(), false));
        Event weak = weak(1, 8);
        assertEquals("pow: difficulty " + Pow.difficulty(weak.id()) + " is less than 8", s.check(request(weak)));
        Event strong = mined(1, 8);
        assertTrue(Pow.difficulty(strong.id()) >= 8);
        assertNull(s.check(request(strong)));
    }

    @Test
    void nip13CommittedTargetBelowTheMinimumIsRefusedEvenWhenTheIdIsLucky() {
        PowStage s = new PowStage(new PolicyConfig.Pow(6, Map.of(), false));
        Event lucky = luckyLowCommitment(6, 2);
        assertTrue(Pow.difficulty(lucky.id()) >= 6);
        assertEquals(2, Pow.committedTarget(lucky));
        assertEquals("pow: the nonce tag commits to difficulty 2, this relay requires 6", s.check(request(lucky)));
    }

    @Test
    void nip13PerKindMinimumOverridesTheGlobalOne() {
        PowStage s = new PowStage(new PolicyConfig.Pow(0, Map.of(1, 6), false));
        assertNull(s.check(request(event(alice, 7, NOW, "kind 7 needs nothing"))));
        assertTrue(s.check(request(weak(1, 6))).startsWith("pow: difficulty"));
        assertNull(s.check(request(mined(1, 6))));
        PowStage exempt = new PowStage(new PolicyConfig.Pow(6, Map.of(7, 0), false));
        assertNull(exempt.check(request(event(alice, 7, NOW, "exempt kind"))));
    }

    @Test
    void nip13CommitmentCanBeRequired() {
        PowStage s = new PowStage(new PolicyConfig.Pow(4, Map.of(), true));
        Event lucky = null;
        for (int i = 0; lucky == null; i++) {
            Event e = event(alice, 1, NOW, "no nonce " + i);
            if (Pow.difficulty(e.id()) >= 4) {
                lucky = e;
            }
        }
        assertTrue(s.check(request(lucky)).startsWith("pow: this relay requires a nonce tag"));
        assertNull(s.check(request(mined(1, 4))));
    }
}
