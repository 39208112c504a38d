package nostr.relay.policy.stage;

import nostr.core.event.Event;
import nostr.core.nip13.Pow;
import nostr.relay.config.PolicyConfig;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 7, NIP-13 proof of work: the id needs {@code min_pow_difficulty} leading zero bits (or
 * the kind's own minimum from {@code min_pow_difficulty_kinds}). The target an event commits to
 * in its nonce tag counts too: an event committing to less than the requirement is refused even
 * when its id happens to reach it (NIP-13: a spammer mining for a low target who got lucky).
 * With {@code pow_require_commitment}, an event that needs work must commit to a target.
 * Refusals are {@code pow:}.
 */
public final class PowStage implements PolicyStage {
    private final PolicyConfig.Pow pow;

    public PowStage(PolicyConfig.Pow pow) {
        this.pow = pow;
    }

    @Override
    public String name() {
        return "pow";
    }

    @Override
    public String check(WriteRequest r) {
        Event e = r.event();
        int required = pow.required(e.kind());
        if (required <= 0) {
            return null;
        }
        int committed = Pow.committedTarget(e);
        if (committed >= 0 && committed < required) {
            return "pow: the nonce tag commits to difficulty " + committed + ", this relay requires " + required;
        }
        if (committed < 0 && pow.requireCommitment()) {
            return "pow: this relay requires a nonce tag committing to a target difficulty of at least " + required;
        }
        int difficulty = Pow.difficulty(e.id());
        if (difficulty < required) {
            return "pow: difficulty " + difficulty + " is less than " + required;
        }
        return null;
    }
}
