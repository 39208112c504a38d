package nostr.relay.policy.stage;

/** How an operator's free-text reason is appended to a refusal. */
final class Reasons {
    private Reasons() {}

    /** " (reason)", or "" when there is none. */
    static String because(String reason) {
        return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
    }
}
