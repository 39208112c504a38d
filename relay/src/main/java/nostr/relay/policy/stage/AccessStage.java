package nostr.relay.policy.stage;

import java.util.function.Supplier;
import nostr.core.event.Event;
import nostr.relay.config.PolicyConfig.AccessMode;
import nostr.relay.policy.ModerationLists;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 3, bans and access mode: banned authors and banned event ids are refused
 * {@code blocked:}; then the author must be allowed by the {@code access_mode}:
 * <ul>
 *   <li>open: anyone, unless the store's allowlist is not empty (then only those pubkeys);</li>
 *   <li>allowlist: only pubkeys on the store's allowlist (an empty list lets nobody write);</li>
 *   <li>members: only members of the relay (NIP-43, the store's relay group) and allowlisted pubkeys.</li>
 * </ul>
 * Refusals of the access mode are {@code restricted:}. The author is checked, not the connection's
 * AUTH pubkeys: the allowlist says whose events the relay keeps. A NIP-62 request to vanish
 * (kind 62) passes whatever its author's status, and a NIP-43 join request (kind 28934) passes the
 * access mode (asking to become a member is what non-members do; bans still apply).
 */
public final class AccessStage implements PolicyStage {
    /** NIP-62 request to vanish: exempt from bans, allowlists and kind rules. */
    public static final int VANISH_KIND = 62;
    /** NIP-43 join request: exempt from the access mode. */
    public static final int JOIN_KIND = 28934;

    private final AccessMode mode;
    private final Supplier<ModerationLists> lists;

    public AccessStage(AccessMode mode, Supplier<ModerationLists> lists) {
        this.mode = mode;
        this.lists = lists;
    }

    @Override
    public String name() {
        return "access";
    }

    @Override
    public String check(WriteRequest r) {
        Event e = r.event();
        if (e.kind() == VANISH_KIND) {
            // NIP-62: relays that restrict who can post MUST follow a request to vanish regardless of the user's status.
            return null;
        }
        ModerationLists m = lists.get();
        String reason = m.bannedPubkeys().get(e.pubkey());
        if (reason != null) {
            return "blocked: this pubkey is banned from this relay" + Reasons.because(reason);
        }
        reason = m.bannedEvents().get(e.id());
        if (reason != null) {
            return "blocked: this event is banned from this relay" + Reasons.because(reason);
        }
        if (e.kind() == JOIN_KIND) {
            return null;
        }
        return switch (mode) {
            case OPEN -> !m.allowedPubkeys().isEmpty() && !m.allowedPubkeys().contains(e.pubkey())
                    ? "restricted: this relay only accepts events from its allowlisted pubkeys" : null;
            case ALLOWLIST -> m.allowedPubkeys().contains(e.pubkey())
                    ? null : "restricted: this relay only accepts events from its allowlisted pubkeys";
            case MEMBERS -> m.members().contains(e.pubkey()) || m.allowedPubkeys().contains(e.pubkey())
                    ? null : "restricted: this relay only accepts events from its members (NIP-43); ask to join first";
        };
    }

    /** True when {@code pubkey} may publish under this mode (reads of members-only relays use the same rule). */
    public static boolean allowed(AccessMode mode, ModerationLists m, String pubkey) {
        return switch (mode) {
            case OPEN -> m.allowedPubkeys().isEmpty() || m.allowedPubkeys().contains(pubkey);
            case ALLOWLIST -> m.allowedPubkeys().contains(pubkey);
            case MEMBERS -> m.members().contains(pubkey) || m.allowedPubkeys().contains(pubkey);
        };
    }
}
