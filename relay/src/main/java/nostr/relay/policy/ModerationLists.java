package nostr.relay.policy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import nostr.relay.store.Listed;
import nostr.relay.store.ModerationStore;
import nostr.relay.store.StoreException;

/**
 * An immutable in-memory copy of the moderation lists (banned pubkeys and events, the pubkey
 * allowlist, allowed kinds), read on every EVENT without touching the store. The store is the
 * source of truth; {@link #load} takes a fresh copy.
 *
 * @param bannedPubkeys pubkey to the operator's reason
 * @param bannedEvents event id to the operator's reason
 * @param allowedPubkeys when not empty, only these pubkeys may publish
 * @param allowedKinds when not empty, only these kinds are accepted
 */
public record ModerationLists(Map<String, String> bannedPubkeys, Map<String, String> bannedEvents,
                              Set<String> allowedPubkeys, Set<Integer> allowedKinds) {

    public ModerationLists {
        bannedPubkeys = Map.copyOf(bannedPubkeys);
        bannedEvents = Map.copyOf(bannedEvents);
        allowedPubkeys = Set.copyOf(allowedPubkeys);
        allowedKinds = Set.copyOf(allowedKinds);
    }

    /** No bans, everyone and every kind allowed. */
    public static ModerationLists open() {
        return new ModerationLists(Map.of(), Map.of(), Set.of(), Set.of());
    }

    /** Reads the current lists from the store. */
    public static ModerationLists load(ModerationStore store) throws StoreException {
        return new ModerationLists(reasons(store.bannedPubkeys().toArray(Listed[]::new)),
                reasons(store.bannedEvents().toArray(Listed[]::new)),
                new HashSet<>(store.allowedPubkeys().stream().map(Listed::value).toList()),
                new HashSet<>(store.allowedKinds()));
    }

    /** True when some writes are refused by policy (NIP-11 {@code restricted_writes}). */
    public boolean restrictsWrites() {
        return !allowedPubkeys.isEmpty() || !allowedKinds.isEmpty();
    }

    private static Map<String, String> reasons(Listed[] listed) {
        Map<String, String> m = new HashMap<>();
        for (Listed l : listed) {
            m.put(l.value(), l.reason());
        }
        return m;
    }
}
