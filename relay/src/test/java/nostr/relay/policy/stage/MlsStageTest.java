package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nostr.core.keys.SecretKey;
import nostr.relay.config.PolicyConfig;
import org.junit.jupiter.api.Test;

/** Stage 10: MLS (Marmot/NIP-EE) kinds 443 and 445 when mls_enabled; invalid:. */
class MlsStageTest {
    private final SecretKey alice = SecretKey.generate();
    private final MlsStage on = new MlsStage(new PolicyConfig.Mls(true, 3600));
    private final MlsStage off = new MlsStage(new PolicyConfig.Mls(false, 3600));

    @Test
    void mlsGroupEventsOlderThanTheRetentionAreRefused() {
        var fresh = event(alice, 445, NOW - 3600, "ciphertext", tag("h", "group"));
        var old = event(alice, 445, NOW - 3601, "ciphertext", tag("h", "group"));
        assertNull(on.check(request(fresh)));
        assertTrue(on.check(request(old)).startsWith("invalid: kind 445 group events are kept for 3600 seconds"));
        assertNull(off.check(request(old)), "disabled: an ordinary event");
    }

    @Test
    void mlsEventsNeedTheirTags() {
        assertTrue(on.check(request(event(alice, 445, NOW, "no group"))).startsWith("invalid:"));
        assertTrue(on.check(request(event(alice, 443, NOW, "kp", tag("ciphersuite", "0x0001")))).contains("mls_protocol_version"));
        assertTrue(on.check(request(event(alice, 443, NOW, "kp", tag("mls_protocol_version", "1.0")))).contains("ciphersuite"));
        assertNull(on.check(request(event(alice, 443, NOW, "kp", tag("mls_protocol_version", "1.0"), tag("ciphersuite", "0x0001")))));
        assertNull(off.check(request(event(alice, 443, NOW, "anything"))));
        assertNull(on.check(request(event(alice, 10051, NOW, "", tag("relay", "wss://r.example")))), "10051 is a plain replaceable");
    }
}
