package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/** Stage 9: NIP-40 events expired on arrival, and expiration tags that are no timestamp; invalid:. */
class ExpiryStageTest {
    private final SecretKey alice = SecretKey.generate();
    private final ExpiryStage stage = new ExpiryStage();

    @Test
    void nip40ExpiredOnArrivalIsInvalid() {
        assertEquals("invalid: this event expired at " + NOW + " (NIP-40), before it arrived",
                stage.check(request(event(alice, 1, NOW - 5, "x", tag("expiration", Long.toString(NOW))))));
        assertTrue(stage.check(request(event(alice, 20001, NOW, "ephemeral too", tag("expiration", "1")))).startsWith("invalid:"));
        assertNull(stage.check(request(event(alice, 1, NOW, "x", tag("expiration", Long.toString(NOW + 1))))));
        assertNull(stage.check(request(event(alice, 1, NOW, "no expiration"))));
    }

    @Test
    void nip40MalformedExpirationIsInvalid() {
        for (String bad : new String[] {"soon", "-5", "1.5", "", "99999999999999999999"}) {
            String refused = stage.check(request(event(alice, 1, NOW, "x", tag("expiration", bad))));
            assertTrue(refused != null && refused.startsWith("invalid: the expiration tag"), bad + ": " + refused);
        }
    }
}
