package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.client;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/** Stage 6: NIP-70 protected events only from their authenticated author. */
class ProtectedEventStageTest {
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();
    private final ProtectedEventStage stage = new ProtectedEventStage();

    @Test
    void nip70ProtectedEventNeedsAuthAsItsAuthor() {
        var e = event(alice, 1, NOW, "members only", tag("-"));
        assertTrue(stage.check(request(e)).startsWith("auth-required:"));
        assertTrue(stage.check(request(e, client("192.0.2.1", bob))).startsWith("restricted:"));
        assertNull(stage.check(request(e, client("192.0.2.1", bob, alice))), "one of several AUTH pubkeys is the author");
    }

    @Test
    void nip70OnlyTheSingleDashTagProtects() {
        assertNull(stage.check(request(event(alice, 1, NOW, "x", tag("-", "not protection")))));
        assertNull(stage.check(request(event(alice, 1, NOW, "x", tag("t", "-")))));
    }
}
