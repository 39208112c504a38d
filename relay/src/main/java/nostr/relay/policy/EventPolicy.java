package nostr.relay.policy;

import java.util.function.Supplier;
import nostr.core.event.Event;
import nostr.relay.config.Limits;

/**
 * The checks an EVENT passes before its signature is verified: sizes and time bounds
 * ({@code invalid:}), NIP-42 AUTH events in the wrong message ({@code invalid:}), bans
 * ({@code blocked:}) and allowlists ({@code restricted:}), which a NIP-62 request to vanish passes
 * whatever its author's status. Each refusal is an OK message text
 * with its NIP-01 machine prefix and a reason the client can act on.
 */
public final class EventPolicy {
    /** NIP-42 client authentication events: only valid inside AUTH, never stored or broadcast. */
    public static final int AUTH_KIND = 22242;
    /** NIP-62 request to vanish: exempt from bans and allowlists. */
    static final int VANISH_KIND = 62;

    private final Limits limits;
    private final Supplier<ModerationLists> lists;

    /**
     * @param lists the current moderation lists (swapped when they are reloaded)
     */
    public EventPolicy(Limits limits, Supplier<ModerationLists> lists) {
        this.limits = limits;
        this.lists = lists;
    }

    /** Null when the event may proceed to verification, else the OK false message. */
    public String check(Event e, long nowSeconds) {
        if (e.tags().size() > limits.maxEventTags()) {
            return "invalid: too many tags (" + e.tags().size() + ", limit " + limits.maxEventTags() + ")";
        }
        String content = e.content();
        if (content.length() > limits.maxContentLength()) {
            int chars = content.codePointCount(0, content.length());
            if (chars > limits.maxContentLength()) {
                return "invalid: content too long (" + chars + " characters, limit " + limits.maxContentLength() + ")";
            }
        }
        if (limits.createdAtUpperLimit() > 0 && e.createdAt() > nowSeconds + limits.createdAtUpperLimit()) {
            return "invalid: created_at is more than " + limits.createdAtUpperLimit() + " seconds in the future";
        }
        if (limits.createdAtLowerLimit() > 0 && e.createdAt() < nowSeconds - limits.createdAtLowerLimit()) {
            return "invalid: created_at is more than " + limits.createdAtLowerLimit() + " seconds in the past";
        }
        if (e.kind() == AUTH_KIND) {
            return "invalid: kind 22242 is a NIP-42 AUTH event; send it in an AUTH message, it is never stored or broadcast";
        }
        if (e.kind() == VANISH_KIND) {
            // NIP-62: relays that restrict who can post MUST follow a request to vanish regardless of the user's status.
            return null;
        }
        ModerationLists m = lists.get();
        String reason = m.bannedPubkeys().get(e.pubkey());
        if (reason != null) {
            return "blocked: this pubkey is banned from this relay" + because(reason);
        }
        reason = m.bannedEvents().get(e.id());
        if (reason != null) {
            return "blocked: this event is banned from this relay" + because(reason);
        }
        if (!m.allowedPubkeys().isEmpty() && !m.allowedPubkeys().contains(e.pubkey())) {
            return "restricted: this relay only accepts events from its allowlisted pubkeys";
        }
        if (!m.allowedKinds().isEmpty() && !m.allowedKinds().contains(e.kind())) {
            return "restricted: this relay does not accept events of kind " + e.kind();
        }
        return null;
    }

    private static String because(String reason) {
        return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
    }
}
