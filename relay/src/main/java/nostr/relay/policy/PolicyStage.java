package nostr.relay.policy;

/**
 * One check of the write policy pipeline. A stage looks at one {@link WriteRequest} and either
 * lets it pass (null) or refuses it with the OK message the client gets: a NIP-01 machine prefix
 * ({@code invalid:}, {@code blocked:}, {@code restricted:}, {@code auth-required:}, {@code pow:},
 * {@code rate-limited:}) and a reason a person can act on. Stages are cheap and never block.
 */
public interface PolicyStage {

    /** Short name, used as the metrics label ({@code parrhesia_policy_rejections_total{stage}}). */
    String name();

    /** Null when the event may go on, else the OK false message. */
    String check(WriteRequest request);
}
