package nostr.relay.policy.stage;

import nostr.core.event.Event;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 9, NIP-40 expiration: an event whose {@code expiration} is at or before the time it
 * arrives is dropped (NIP-40: relays SHOULD drop expired events published to them; ephemeral
 * ones too), and an {@code expiration} tag that is not a unix timestamp is refused. Both
 * {@code invalid:}. Stored events that expire later are never served (the store filters them)
 * and are purged by the relay's background job.
 */
public final class ExpiryStage implements PolicyStage {

    @Override
    public String name() {
        return "expiry";
    }

    @Override
    public String check(WriteRequest r) {
        Event e = r.event();
        String raw = e.tagValue("expiration");
        if (raw == null) {
            return null;
        }
        var at = e.expiration();
        if (at.isEmpty()) {
            return "invalid: the expiration tag must hold a unix timestamp in seconds (NIP-40), got '"
                    + (raw.length() > 32 ? raw.substring(0, 32) + "..." : raw) + "'";
        }
        if (at.getAsLong() <= r.nowSeconds()) {
            return "invalid: this event expired at " + at.getAsLong() + " (NIP-40), before it arrived";
        }
        return null;
    }
}
