package nostr.relay.policy.plugin;

/** What the write-policy plugin decided about one event. */
public sealed interface PluginVerdict {

    /** Store (and broadcast) the event as usual. */
    record Accept() implements PluginVerdict {}

    /** Refuse it: OK false with this message (a NIP-01 machine prefix and a reason). */
    record Reject(String message) implements PluginVerdict {}

    /** Tell the client OK true, but neither store nor broadcast the event. */
    record ShadowReject() implements PluginVerdict {}

    /**
     * The plugin gave no answer: it timed out, died, or could not be started. The relay then
     * rejects ({@code error:}) or, with {@code write_policy_plugin_on_failure = accept}, accepts.
     *
     * @param reason what went wrong, e.g. "did not answer within 2000 ms"
     */
    record Failed(String reason) implements PluginVerdict {}

    PluginVerdict ACCEPT = new Accept();
    PluginVerdict SHADOW_REJECT = new ShadowReject();
}
