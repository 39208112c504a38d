package nostr.relay.policy.stage;

import nostr.relay.config.PolicyConfig;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 5, NIP-42 requirements for writes: with {@code auth_required} = writes or all, every
 * EVENT needs an authenticated connection; {@code auth_required_write_kinds} asks it for some
 * kinds only. Any authenticated pubkey will do (the author need not be among them: a client may
 * publish events it holds for others). Refusals are {@code auth-required:}.
 */
public final class AuthRequirementStage implements PolicyStage {
    private final PolicyConfig.Auth auth;

    public AuthRequirementStage(PolicyConfig.Auth auth) {
        this.auth = auth;
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public String check(WriteRequest r) {
        if (r.client().auth().isAuthenticated()) {
            return null;
        }
        if (auth.mode().writes()) {
            return "auth-required: this relay accepts events only from authenticated clients; answer the AUTH challenge first";
        }
        int kind = r.event().kind();
        if (auth.writeKinds().contains(kind)) {
            return "auth-required: events of kind " + kind + " are accepted only from authenticated clients; answer the AUTH challenge first";
        }
        return null;
    }
}
