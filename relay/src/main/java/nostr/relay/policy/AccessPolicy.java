package nostr.relay.policy;

import java.util.function.Supplier;
import nostr.relay.auth.AuthVerifier;
import nostr.relay.config.Limits;
import nostr.relay.config.PolicyConfig;

/**
 * Everything a connection consults before it writes or reads: the write {@link PolicyPipeline}
 * (before verification), the {@link VerifiedAdmission} (after it), the {@link ReadRestriction}
 * for REQ and COUNT, and the NIP-42 {@link AuthVerifier}.
 *
 * @param config the settings these were built from
 */
public record AccessPolicy(PolicyConfig config, PolicyPipeline writes, VerifiedAdmission admission,
                           ReadRestriction reads, AuthVerifier auth) {

    /**
     * The default policy (an open relay) for a pipeline without a network (tests): AUTH
     * events must name {@code relayUrl}.
     */
    public static AccessPolicy open(Limits limits, Supplier<ModerationLists> lists, String relayUrl) {
        return of(limits, PolicyConfig.defaults(), lists, relayUrl);
    }

    /** The policy of {@code config} without shared rate limits or plugin (tests without a network). */
    public static AccessPolicy of(Limits limits, PolicyConfig config, Supplier<ModerationLists> lists, String relayUrl) {
        return new AccessPolicy(config, PolicyPipeline.standard(limits, config, lists, null, null),
                VerifiedAdmission.acceptAll(), new ReadRestriction(config, lists),
                new AuthVerifier(() -> relayUrl, config.auth().windowSeconds()));
    }
}
