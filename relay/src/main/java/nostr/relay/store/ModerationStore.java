package nostr.relay.store;

import java.util.List;

/**
 * Bans, allowlists, blocked IPs and allowed kinds: what NIP-86 manages and the policy pipeline
 * reads. Mutations are durable on return. The relay caches these lists in memory; the store is
 * the source of truth across restarts and cluster nodes.
 */
public interface ModerationStore {

    void banPubkey(String pubkey, String reason) throws StoreException;

    void unbanPubkey(String pubkey) throws StoreException;

    List<Listed> bannedPubkeys() throws StoreException;

    void allowPubkey(String pubkey, String reason) throws StoreException;

    void unallowPubkey(String pubkey) throws StoreException;

    List<Listed> allowedPubkeys() throws StoreException;

    /** Bans an event id: it is removed if stored and refused if submitted again. */
    void banEvent(String id, String reason) throws StoreException;

    /** Lifts an event ban (NIP-86 {@code allowevent}); also removes it from the moderation queue. */
    void allowEvent(String id, String reason) throws StoreException;

    List<Listed> bannedEvents() throws StoreException;

    void blockIp(String ip, String reason) throws StoreException;

    void unblockIp(String ip) throws StoreException;

    List<Listed> blockedIps() throws StoreException;

    /** Adds a kind to the allowed set; an empty set means every kind is allowed. */
    void allowKind(int kind) throws StoreException;

    void disallowKind(int kind) throws StoreException;

    List<Integer> allowedKinds() throws StoreException;
}
