package nostr.relay.policy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import nostr.relay.store.GroupStore;
import nostr.relay.store.Listed;
import nostr.relay.store.Storage;
import nostr.relay.store.StoreException;

/**
 * An immutable in-memory copy of the moderation lists (banned pubkeys and events, the pubkey
 * allowlist, allowed kinds, blocked IPs) and of the relay's members (NIP-43), read on every
 * EVENT and REQ without touching the store. The store is the source of truth; {@link #load}
 * takes a fresh copy.
 *
 * @param bannedPubkeys pubkey to the operator's reason
 * @param bannedEvents event id to the operator's reason
 * @param allowedPubkeys the allowlist (in open mode: when not empty, only these pubkeys may publish)
 * @param allowedKinds when not empty, only these kinds are accepted (with {@code kinds_allow})
 * @param blockedIps normalized client address ({@link IpAddresses#normalize}) to the operator's reason
 * @param members members of the relay (the store's relay group), read when {@code access_mode} is members
 */
public record ModerationLists(Map<String, String> bannedPubkeys, Map<String, String> bannedEvents,
                              Set<String> allowedPubkeys, Set<Integer> allowedKinds,
                              Map<String, String> blockedIps, Set<String> members) {

    public ModerationLists {
        bannedPubkeys = Map.copyOf(bannedPubkeys);
        bannedEvents = Map.copyOf(bannedEvents);
        allowedPubkeys = Set.copyOf(allowedPubkeys);
        allowedKinds = Set.copyOf(allowedKinds);
        Map<String, String> ips = new HashMap<>();
        blockedIps.forEach((ip, reason) -> ips.put(IpAddresses.normalize(ip), reason == null ? "" : reason));
        blockedIps = Map.copyOf(ips);
        members = Set.copyOf(members);
    }

    /** Lists without blocked IPs or members. */
    public ModerationLists(Map<String, String> bannedPubkeys, Map<String, String> bannedEvents,
                           Set<String> allowedPubkeys, Set<Integer> allowedKinds) {
        this(bannedPubkeys, bannedEvents, allowedPubkeys, allowedKinds, Map.of(), Set.of());
    }

    /** No bans, everyone and every kind allowed. */
    public static ModerationLists open() {
        return new ModerationLists(Map.of(), Map.of(), Set.of(), Set.of());
    }

    /**
     * Reads the current lists from the store.
     *
     * @param withMembers also read the relay's members (only needed in members mode)
     */
    public static ModerationLists load(Storage storage, boolean withMembers) throws StoreException {
        var store = storage.moderation();
        Set<String> members = new HashSet<>();
        if (withMembers) {
            for (GroupStore.Member m : storage.groups().members(GroupStore.RELAY)) {
                members.add(m.pubkey());
            }
        }
        return new ModerationLists(reasons(store.bannedPubkeys().toArray(Listed[]::new)),
                reasons(store.bannedEvents().toArray(Listed[]::new)),
                new HashSet<>(store.allowedPubkeys().stream().map(Listed::value).toList()),
                new HashSet<>(store.allowedKinds()),
                reasons(store.blockedIps().toArray(Listed[]::new)), members);
    }

    /** Reads the current lists (without members) from a moderation store. */
    public static ModerationLists load(nostr.relay.store.ModerationStore store) throws StoreException {
        return new ModerationLists(reasons(store.bannedPubkeys().toArray(Listed[]::new)),
                reasons(store.bannedEvents().toArray(Listed[]::new)),
                new HashSet<>(store.allowedPubkeys().stream().map(Listed::value).toList()),
                new HashSet<>(store.allowedKinds()),
                reasons(store.blockedIps().toArray(Listed[]::new)), Set.of());
    }

    /** True when some writes are refused by these lists (NIP-11 {@code restricted_writes}). */
    public boolean restrictsWrites() {
        return !allowedPubkeys.isEmpty() || !allowedKinds.isEmpty();
    }

    /** The operator's reason for blocking this (normalized) address, or null when it is not blocked. */
    public String blockReason(String ip) {
        return ip == null || ip.isEmpty() ? null : blockedIps.get(ip);
    }

    private static Map<String, String> reasons(Listed[] listed) {
        Map<String, String> m = new HashMap<>();
        for (Listed l : listed) {
            m.put(l.value(), l.reason() == null ? "" : l.reason());
        }
        return m;
    }
}
