package nostr.relay.policy;

import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import nostr.core.nip42.Nip42;
import nostr.relay.auth.AuthSession;
import nostr.relay.auth.AuthVerifier;

/** Requests for stage tests: an event from a client with an address and a real NIP-42 session. */
public final class PolicyFixtures {
    public static final long NOW = 1_800_000_000L;
    static final String URL = "wss://relay.test/";

    private PolicyFixtures() {}

    /** A request from an unauthenticated client at 192.0.2.1, at {@link #NOW}. */
    public static WriteRequest request(Event e) {
        return request(e, client("192.0.2.1"));
    }

    public static WriteRequest request(Event e, ClientContext client) {
        return new WriteRequest(e, client, NOW, NOW * 1_000_000_000L);
    }

    /** A client at {@code ip} that authenticated (through {@link AuthVerifier}, with signed AUTH events) as {@code keys}. */
    public static ClientContext client(String ip, SecretKey... keys) {
        AuthSession s = new AuthSession("challenge-" + ip);
        AuthVerifier verifier = new AuthVerifier(() -> URL, 600);
        long now = System.currentTimeMillis() / 1000;
        for (SecretKey k : keys) {
            Event auth = Nip42.authTemplate(URL, s.challenge()).sign(k);
            String refused = verifier.authenticate(auth, s, now);
            if (refused != null) {
                throw new AssertionError("fixture AUTH refused: " + refused);
            }
        }
        return new ClientContext(ip, s, null);
    }
}
