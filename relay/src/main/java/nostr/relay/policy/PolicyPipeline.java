package nostr.relay.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import nostr.relay.config.Limits;
import nostr.relay.config.PolicyConfig;
import nostr.relay.policy.stage.AccessStage;
import nostr.relay.policy.stage.AuthRequirementStage;
import nostr.relay.policy.stage.ExpiryStage;
import nostr.relay.policy.stage.IpBlockStage;
import nostr.relay.policy.stage.KindStage;
import nostr.relay.policy.stage.MlsStage;
import nostr.relay.policy.stage.PowStage;
import nostr.relay.policy.stage.ProtectedEventStage;
import nostr.relay.policy.stage.RateLimitStage;
import nostr.relay.policy.stage.ShapeStage;

/**
 * The write policy: {@link PolicyStage}s run in a fixed order on the connection's thread before
 * an EVENT is verified; the first refusal wins and is the client's OK message. The relay's order
 * ({@link #standard}):
 *
 * <pre>
 * shape (sizes, created_at, kind 22242) -> ip (blocked addresses) -> access (bans, access mode)
 *   -> kind (allow/deny) -> auth (NIP-42 requirements) -> nip70 (protected events) -> pow (NIP-13)
 *   -> rate (token buckets) -> expiry (NIP-40) -> mls (Marmot, when enabled)
 * </pre>
 *
 * Cheap, certain refusals come first; the rate stage comes late so that events refused for other
 * reasons do not use up a client's budget. After verification the author's rate token is taken
 * and the write-policy plugin decides ({@link VerifiedAdmission}).
 */
public final class PolicyPipeline {
    /** A refusal: which stage, and the OK message. */
    public record Refusal(String stage, String message) {}

    private final List<PolicyStage> stages;
    private final RateLimitStage rates;

    public PolicyPipeline(List<PolicyStage> stages) {
        this.stages = List.copyOf(stages);
        RateLimitStage r = null;
        for (PolicyStage s : stages) {
            if (s instanceof RateLimitStage rs) {
                r = rs;
            }
        }
        this.rates = r;
    }

    /**
     * The relay's pipeline for a configuration.
     *
     * @param lists the current moderation lists (swapped when reloaded)
     * @param perIp shared per-address EVENT buckets, or null
     * @param perPubkey shared per-author buckets, or null
     */
    public static PolicyPipeline standard(Limits limits, PolicyConfig policy, Supplier<ModerationLists> lists,
                                          KeyedBuckets perIp, KeyedBuckets perPubkey) {
        List<PolicyStage> s = new ArrayList<>();
        s.add(new ShapeStage(limits));
        s.add(new IpBlockStage(lists));
        s.add(new AccessStage(policy.accessMode(), lists));
        s.add(new KindStage(policy.kindsAllow(), policy.kindsDeny(), lists));
        s.add(new AuthRequirementStage(policy.auth()));
        s.add(new ProtectedEventStage());
        s.add(new PowStage(policy.pow()));
        s.add(new RateLimitStage(perIp, perPubkey));
        s.add(new ExpiryStage());
        s.add(new MlsStage(policy.mls()));
        return new PolicyPipeline(s);
    }

    /**
     * The stages that apply to events an operator imports ({@code parrhesia import}): shape, bans
     * and access mode, kinds, NIP-40 expiry and MLS retention. Nothing about a client connection
     * (IP, AUTH, NIP-70, rate limits) or proof of work: the operator vouches for the file.
     */
    public static PolicyPipeline forImport(Limits limits, PolicyConfig policy, Supplier<ModerationLists> lists) {
        return new PolicyPipeline(List.of(new ShapeStage(limits), new AccessStage(policy.accessMode(), lists),
                new KindStage(policy.kindsAllow(), policy.kindsDeny(), lists), new ExpiryStage(), new MlsStage(policy.mls())));
    }

    /** Runs the stages in order; null when every stage lets the event pass. */
    public Refusal check(WriteRequest request) {
        for (PolicyStage s : stages) {
            String message = s.check(request);
            if (message != null) {
                return new Refusal(s.name(), message);
            }
        }
        return null;
    }

    /** The stage names, in order. */
    public List<String> stageNames() {
        return stages.stream().map(PolicyStage::name).toList();
    }

    /** The rate stage, or null when the pipeline has none. */
    public RateLimitStage rates() {
        return rates;
    }
}
