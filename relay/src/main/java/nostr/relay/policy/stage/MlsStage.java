package nostr.relay.policy.stage;

import nostr.core.event.Event;
import nostr.relay.config.PolicyConfig;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 10, MLS (Marmot, the successor of NIP-EE), only when {@code mls_enabled}: a kind 443
 * key package needs its {@code mls_protocol_version} and {@code ciphersuite} tags, a kind 445
 * group event its {@code h} tag (the group id relays route by), and a group event older than
 * {@code mls_group_event_ttl_seconds} is refused: group events are kept only that long (the
 * background job purges older ones with {@code EventStore.purgeKindOlderThan}). Refusals are
 * {@code invalid:}. The relay never decrypts anything: content is opaque.
 */
public final class MlsStage implements PolicyStage {
    /** MLS key package (Marmot / NIP-EE). */
    public static final int KEY_PACKAGE = 443;
    /** MLS group event (Marmot / NIP-EE). */
    public static final int GROUP_EVENT = 445;
    /** Relays a user publishes key packages to (replaceable, plain NIP-01 rules). */
    public static final int KEY_PACKAGE_RELAYS = 10051;

    private final PolicyConfig.Mls mls;

    public MlsStage(PolicyConfig.Mls mls) {
        this.mls = mls;
    }

    @Override
    public String name() {
        return "mls";
    }

    @Override
    public String check(WriteRequest r) {
        if (!mls.enabled()) {
            return null;
        }
        Event e = r.event();
        if (e.kind() == KEY_PACKAGE) {
            if (e.tagValue("mls_protocol_version") == null) {
                return "invalid: a kind 443 MLS key package needs an mls_protocol_version tag";
            }
            if (e.tagValue("ciphersuite") == null) {
                return "invalid: a kind 443 MLS key package needs a ciphersuite tag";
            }
        } else if (e.kind() == GROUP_EVENT) {
            if (e.tagValue("h") == null) {
                return "invalid: a kind 445 MLS group event needs an h tag naming its group";
            }
            if (e.createdAt() < mls.groupEventCutoff(r.nowSeconds())) {
                return "invalid: kind 445 group events are kept for " + mls.groupEventTtlSeconds()
                        + " seconds on this relay and this one is older";
            }
        }
        return null;
    }
}
