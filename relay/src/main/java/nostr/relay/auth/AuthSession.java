package nostr.relay.auth;

import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.Set;
import nostr.core.Hex;

/**
 * One connection's NIP-42 state: the challenge the relay sent when the connection opened, and
 * the pubkeys the client has proven (a client may authenticate as several, NIP-42 says relays
 * MUST treat all of them as authenticated). The set only grows, for the life of the connection.
 *
 * <p>Written by the connection's reader thread, read by others (ingest, queries): the set is
 * replaced, never changed in place.
 */
public final class AuthSession {
    /** Pubkeys one connection may authenticate as; more AUTH messages are refused. */
    public static final int MAX_PUBKEYS = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String challenge;
    private volatile Set<String> pubkeys = Set.of();

    public AuthSession(String challenge) {
        this.challenge = challenge;
    }

    /** A session with a fresh random challenge (128 bits, hex). */
    public static AuthSession withRandomChallenge() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return new AuthSession(Hex.encode(b));
    }

    public String challenge() {
        return challenge;
    }

    /** The authenticated pubkeys, in the order they authenticated (an immutable snapshot). */
    public Set<String> pubkeys() {
        return pubkeys;
    }

    public boolean isAuthenticated() {
        return !pubkeys.isEmpty();
    }

    public boolean isAuthenticatedAs(String pubkey) {
        return pubkeys.contains(pubkey);
    }

    /**
     * Adds a proven pubkey.
     *
     * @return false when the session already holds {@link #MAX_PUBKEYS} others
     */
    synchronized boolean add(String pubkey) {
        if (pubkeys.contains(pubkey)) {
            return true;
        }
        if (pubkeys.size() >= MAX_PUBKEYS) {
            return false;
        }
        Set<String> next = new LinkedHashSet<>(pubkeys);
        next.add(pubkey);
        pubkeys = java.util.Collections.unmodifiableSet(next);
        return true;
    }
}
