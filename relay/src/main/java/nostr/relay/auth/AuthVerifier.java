package nostr.relay.auth;

import java.util.function.Supplier;
import nostr.core.event.Event;
import nostr.core.event.InvalidEventException;
import nostr.core.nip42.Nip42;

/**
 * The relay side of NIP-42: checks a client's {@code ["AUTH", <kind 22242 event>]} against the
 * connection's challenge and this relay's URL (core's {@link Nip42#verify}: kind, created_at
 * within the window, challenge tag, relay tag, id and signature) and, when it holds, adds its
 * pubkey to the connection's {@link AuthSession}. The answer is the OK message NIP-42 requires.
 */
public final class AuthVerifier {
    private final Supplier<String> relayUrl;
    private final long windowSeconds;

    /**
     * @param relayUrl this relay's public URL (the {@code relay_url} key, or the listening address)
     * @param windowSeconds how far created_at may be from now ({@code auth_window_seconds})
     */
    public AuthVerifier(Supplier<String> relayUrl, long windowSeconds) {
        this.relayUrl = relayUrl;
        this.windowSeconds = windowSeconds;
    }

    /** This relay's URL as AUTH events must name it. */
    public String relayUrl() {
        return relayUrl.get();
    }

    /**
     * Verifies an AUTH event for {@code session}.
     *
     * @return null when accepted (the pubkey is now authenticated), else the OK false message
     */
    public String authenticate(Event auth, AuthSession session, long nowSeconds) {
        try {
            Nip42.verify(auth, session.challenge(), relayUrl.get(), nowSeconds, windowSeconds);
        } catch (InvalidEventException e) {
            return "invalid: " + e.getMessage()
                    + (e.getMessage().contains("relay URL") ? " (expected " + relayUrl.get() + ")" : "");
        }
        if (!session.add(auth.pubkey())) {
            return "restricted: this connection is already authenticated as " + AuthSession.MAX_PUBKEYS
                    + " pubkeys; open another connection";
        }
        return null;
    }
}
