package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.client;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Set;
import nostr.core.keys.SecretKey;
import nostr.relay.policy.ModerationLists;
import org.junit.jupiter.api.Test;

/** Stage 2: the store's blocked IPs (NIP-86 blockip), compared in canonical form; blocked:. */
class IpBlockStageTest {
    private final SecretKey alice = SecretKey.generate();

    @Test
    void nip86BlockedAddressesAreBlockedWhateverTheirSpelling() {
        ModerationLists lists = new ModerationLists(Map.of(), Map.of(), Set.of(), Set.of(),
                Map.of("2001:db8:0:0:0:0:0:1", "abuse", "192.0.2.7", ""), Set.of());
        IpBlockStage stage = new IpBlockStage(() -> lists);
        var e = event(alice, 1, NOW, "x");
        assertEquals("blocked: your IP address is blocked on this relay (abuse)", stage.check(request(e, client("2001:db8::1"))));
        assertEquals("blocked: your IP address is blocked on this relay", stage.check(request(e, client("192.0.2.7"))));
        assertEquals("blocked: your IP address is blocked on this relay", stage.check(request(e, client("::ffff:192.0.2.7"))));
        assertNull(stage.check(request(e, client("192.0.2.8"))));
        assertNull(stage.check(request(e, client(""))), "an unknown address is never blocked");
    }
}
