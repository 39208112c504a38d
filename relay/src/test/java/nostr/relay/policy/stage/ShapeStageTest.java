package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nostr.core.keys.SecretKey;
import nostr.relay.config.Limits;
import org.junit.jupiter.api.Test;

/** Stage 1: NIP-11 limits (tags, content, created_at window) and NIP-42's kind 22242, all invalid:. */
class ShapeStageTest {
    private final SecretKey alice = SecretKey.generate();
    private final ShapeStage stage = new ShapeStage(new Limits(1 << 16, 10, 10, 100, 20, 64, 3, 10, 100, 3600, 60, 0, 0));

    @Test
    void nip01AcceptableEventPasses() {
        assertNull(stage.check(request(event(alice, 1, NOW, "hello", tag("t", "x")))));
    }

    @Test
    void nip11LimitsAreInvalid() {
        assertTrue(stage.check(request(event(alice, 1, NOW, "x", tag("a", "1"), tag("b", "2"), tag("c", "3"), tag("d", "4"))))
                .startsWith("invalid: too many tags"));
        assertTrue(stage.check(request(event(alice, 1, NOW, "12345678901"))).startsWith("invalid: content too long"));
        assertNull(stage.check(request(event(alice, 1, NOW, "\ud83d\ude00".repeat(10)))), "10 characters, 20 UTF-16 units");
        assertTrue(stage.check(request(event(alice, 1, NOW + 61, "x"))).startsWith("invalid: created_at"));
        assertNull(stage.check(request(event(alice, 1, NOW + 60, "x"))));
        assertTrue(stage.check(request(event(alice, 1, NOW - 3601, "x"))).startsWith("invalid: created_at"));
        assertNull(stage.check(request(event(alice, 1, NOW - 3600, "x"))));
    }

    @Test
    void nip42AuthEventsAreInvalidAsEvent() {
        assertTrue(stage.check(request(event(alice, 22242, NOW, ""))).startsWith("invalid:"));
    }
}
