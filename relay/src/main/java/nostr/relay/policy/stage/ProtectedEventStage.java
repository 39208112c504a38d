package nostr.relay.policy.stage;

import nostr.core.event.Event;
import nostr.relay.auth.AuthSession;
import nostr.relay.policy.PolicyStage;
import nostr.relay.policy.WriteRequest;

/**
 * Stage 6, NIP-70 protected events: an event with the {@code ["-"]} tag is accepted only from a
 * connection authenticated as its author. Not authenticated: {@code auth-required:};
 * authenticated as someone else: {@code restricted:}.
 */
public final class ProtectedEventStage implements PolicyStage {

    @Override
    public String name() {
        return "nip70";
    }

    @Override
    public String check(WriteRequest r) {
        Event e = r.event();
        if (!e.isProtected()) {
            return null;
        }
        AuthSession auth = r.client().auth();
        if (!auth.isAuthenticated()) {
            return "auth-required: this event is protected (NIP-70) and may only be published by its author; authenticate as the author first";
        }
        if (!auth.isAuthenticatedAs(e.pubkey())) {
            return "restricted: this event is protected (NIP-70) and may only be published by its author, "
                    + "and this connection is not authenticated as " + e.pubkey();
        }
        return null;
    }
}
