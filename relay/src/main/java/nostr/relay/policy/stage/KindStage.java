package nostr.relay.policy.stage;

import java.util.function.Supplier;
import nostr.relay.config.KindSet;
import nostr.relay.policy.ModerationLists;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 4, kinds: {@code kinds_deny} always refuses; when {@code kinds_allow} or the store's
 * allowed kinds (NIP-86 {@code allowkind}) are not empty, a kind must be in one of them.
 * Refusals are {@code restricted:}. A NIP-62 request to vanish (kind 62) always passes.
 */
public final class KindStage implements PolicyStage {
    private final KindSet allow;
    private final KindSet deny;
    private final Supplier<ModerationLists> lists;

    public KindStage(KindSet allow, KindSet deny, Supplier<ModerationLists> lists) {
        this.allow = allow;
        this.deny = deny;
        this.lists = lists;
    }

    @Override
    public String name() {
        return "kind";
    }

    @Override
    public String check(WriteRequest r) {
        int kind = r.event().kind();
        if (kind == AccessStage.VANISH_KIND) {
            return null;
        }
        if (deny.contains(kind)) {
            return "restricted: this relay does not accept events of kind " + kind;
        }
        var stored = lists.get().allowedKinds();
        if ((allow.isEmpty() && stored.isEmpty()) || allow.contains(kind) || stored.contains(kind)) {
            return null;
        }
        return "restricted: this relay does not accept events of kind " + kind;
    }
}
