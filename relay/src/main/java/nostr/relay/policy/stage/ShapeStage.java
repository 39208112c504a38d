package nostr.relay.policy.stage;

import nostr.core.event.Event;
import nostr.core.nip42.Nip42;
import nostr.relay.config.Limits;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 1, size and shape: the NIP-11 limits on tags and content, the created_at window, and
 * kind 22242, which NIP-42 reserves for AUTH messages (never stored or broadcast). The message's
 * own size was checked when it arrived ({@code max_message_length}).
 */
public final class ShapeStage implements PolicyStage {
    private final Limits limits;

    public ShapeStage(Limits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "shape";
    }

    @Override
    public String check(WriteRequest r) {
        Event e = r.event();
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
        long now = r.nowSeconds();
        if (limits.createdAtUpperLimit() > 0 && e.createdAt() > now + limits.createdAtUpperLimit()) {
            return "invalid: created_at is more than " + limits.createdAtUpperLimit() + " seconds in the future";
        }
        if (limits.createdAtLowerLimit() > 0 && e.createdAt() < now - limits.createdAtLowerLimit()) {
            return "invalid: created_at is more than " + limits.createdAtLowerLimit() + " seconds in the past";
        }
        if (e.kind() == Nip42.KIND) {
            return "invalid: kind 22242 is a NIP-42 AUTH event; send it in an AUTH message, it is never stored or broadcast";
        }
        return null;
    }
}
