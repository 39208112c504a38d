package nostr.relay.policy;

import java.util.function.Consumer;
import nostr.relay.policy.plugin.PluginVerdict;
import nostr.relay.policy.plugin.WritePolicyPlugin;
import nostr.relay.policy.stage.RateLimitStage;

/**
 * The policy's last word on an event whose id and signature have been verified: the author's
 * rate token is taken (only genuine events spend an author's budget), then the write-policy
 * plugin, if one is configured, decides. The plugin's failures (timeout, crash) turn into a
 * rejection, {@code error:} (fail closed, the default), or into acceptance with
 * {@code write_policy_plugin_on_failure = accept} (fail open).
 */
public final class VerifiedAdmission {

    /** The outcome for one event. */
    public sealed interface Decision {
        /** Store it (or fan it out, for ephemeral kinds). */
        record Accept() implements Decision {}

        /** OK false with this message; {@code stage} labels the metric. */
        record Reject(String stage, String message) implements Decision {}

        /** OK true, but neither store nor broadcast (the plugin's shadowReject). */
        record ShadowReject() implements Decision {}
    }

    private static final Decision ACCEPT = new Decision.Accept();

    private final RateLimitStage rates;
    private final WritePolicyPlugin plugin;
    private final boolean failOpen;
    private final Consumer<String> pluginOutcomes;

    /**
     * @param rates the pipeline's rate stage (author buckets), or null
     * @param plugin the write-policy plugin, or null
     * @param failOpen accept when the plugin fails instead of rejecting
     * @param pluginOutcomes told each plugin outcome: accept, reject, shadow_reject, failed (metrics)
     */
    public VerifiedAdmission(RateLimitStage rates, WritePolicyPlugin plugin, boolean failOpen, Consumer<String> pluginOutcomes) {
        this.rates = rates;
        this.plugin = plugin;
        this.failOpen = failOpen;
        this.pluginOutcomes = pluginOutcomes;
    }

    /** Admits everything (no author limits, no plugin). */
    public static VerifiedAdmission acceptAll() {
        return new VerifiedAdmission(null, null, false, o -> { });
    }

    /** Decides on a verified event; {@code decision} runs once, maybe on another thread. */
    public void admit(WriteRequest r, Consumer<Decision> decision) {
        if (rates != null) {
            String limited = rates.chargeAuthor(r);
            if (limited != null) {
                decision.accept(new Decision.Reject("rate", limited));
                return;
            }
        }
        if (plugin == null) {
            decision.accept(ACCEPT);
            return;
        }
        plugin.decide(r, verdict -> decision.accept(switch (verdict) {
            case PluginVerdict.Accept a -> {
                pluginOutcomes.accept("accept");
                yield ACCEPT;
            }
            case PluginVerdict.Reject rej -> {
                pluginOutcomes.accept("reject");
                yield new Decision.Reject("plugin", rej.message());
            }
            case PluginVerdict.ShadowReject s -> {
                pluginOutcomes.accept("shadow_reject");
                yield new Decision.ShadowReject();
            }
            case PluginVerdict.Failed f -> {
                pluginOutcomes.accept("failed");
                yield failOpen ? ACCEPT : new Decision.Reject("plugin",
                        "error: this relay's write policy " + f.reason() + "; try again later");
            }
        }));
    }
}
