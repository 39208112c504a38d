package nostr.signer.bunker;

import java.util.List;

/**
 * One NIP-46 client as the bunker knows it.
 *
 * @param clientPubkey hex key the client signs its requests with
 * @param signerPubkey hex key of our identity it talks to
 * @param state where it is in its life cycle
 * @param permissions what it may do without asking (granted at connect)
 * @param relays where to answer it (its nostrconnect relays, else the bunker relays)
 * @param name display name from its metadata (a hint, never used for decisions)
 * @param createdAt unix seconds
 * @param lastSeen unix seconds of its last request
 */
public record ClientSession(String clientPubkey, String signerPubkey, SessionState state, Permissions permissions,
                            List<String> relays, String name, long createdAt, long lastSeen) {
    public ClientSession {
        relays = List.copyOf(relays);
    }

    public ClientSession withState(SessionState s) {
        return new ClientSession(clientPubkey, signerPubkey, s, permissions, relays, name, createdAt, lastSeen);
    }

    public ClientSession seen(long now) {
        return new ClientSession(clientPubkey, signerPubkey, state, permissions, relays, name, createdAt, now);
    }

    /** The ACL app id of this client: {@code nip46:<client pubkey>}. */
    public String appId() {
        return appId(clientPubkey);
    }

    public static String appId(String clientPubkey) {
        return "nip46:" + clientPubkey;
    }
}
