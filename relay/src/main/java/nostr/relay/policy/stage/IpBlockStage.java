package nostr.relay.policy.stage;

import java.util.function.Supplier;
import nostr.relay.policy.ModerationLists;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 2, IP blocks: events from a client address on the store's blocked-IP list (NIP-86
 * {@code blockip}) are refused {@code blocked:}. New connections from such addresses are already
 * refused at the edge; this catches connections opened before the block.
 */
public final class IpBlockStage implements PolicyStage {
    private final Supplier<ModerationLists> lists;

    public IpBlockStage(Supplier<ModerationLists> lists) {
        this.lists = lists;
    }

    @Override
    public String name() {
        return "ip";
    }

    @Override
    public String check(WriteRequest r) {
        String reason = lists.get().blockReason(r.client().ip());
        return reason == null ? null : "blocked: your IP address is blocked on this relay" + Reasons.because(reason);
    }
}
