package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.policy.PolicyFixtures.client;
import static nostr.relay.policy.PolicyFixtures.request;
import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nostr.core.keys.SecretKey;
import nostr.relay.config.KindSet;
import nostr.relay.config.PolicyConfig;
import nostr.relay.config.PolicyConfig.AuthMode;
import org.junit.jupiter.api.Test;

/** Stage 5: NIP-42 write requirements (auth_required, auth_required_write_kinds); auth-required:. */
class AuthRequirementStageTest {
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();

    private static AuthRequirementStage stage(AuthMode mode, String writeKinds) {
        return new AuthRequirementStage(new PolicyConfig.Auth(mode, KindSet.parse("k", writeKinds), KindSet.EMPTY, 600));
    }

    @Test
    void nip42WritesNeedAnyAuthenticatedPubkey() {
        for (AuthMode mode : new AuthMode[] {AuthMode.WRITES, AuthMode.ALL}) {
            AuthRequirementStage s = stage(mode, "");
            assertTrue(s.check(request(event(alice, 1, NOW, "x"))).startsWith("auth-required:"), mode.name());
            assertNull(s.check(request(event(alice, 1, NOW, "x"), client("192.0.2.1", bob))), "bob may publish alice's event");
        }
        for (AuthMode mode : new AuthMode[] {AuthMode.NONE, AuthMode.READS}) {
            assertNull(stage(mode, "").check(request(event(alice, 1, NOW, "x"))), mode.name());
        }
    }

    @Test
    void nip42PerKindWriteRequirement() {
        AuthRequirementStage s = stage(AuthMode.NONE, "4, 1059");
        assertNull(s.check(request(event(alice, 1, NOW, "x"))));
        String refused = s.check(request(event(alice, 4, NOW, "x")));
        assertTrue(refused.startsWith("auth-required:") && refused.contains("kind 4"), refused);
        assertNull(s.check(request(event(alice, 4, NOW, "x"), client("192.0.2.1", alice))));
    }
}
