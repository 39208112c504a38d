package nostr.relay.store.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.event.KindClass;

/**
 * What a NIP-09 deletion request (kind 5) asks to delete, limited to what a relay may act on.
 *
 * <p>{@code e} tags name event ids; only the requester's own events are deleted, which the adapter
 * checks against the stored pubkey (and remembers as (id, requester) for events not seen yet).
 * {@code a} tags name addresses {@code kind:pubkey:d}; only addresses of the requester's own
 * replaceable or addressable kinds are kept (a replaceable address has an empty d). Deletion
 * requests (kind 5) and requests to vanish (kind 62) are never deleted this way (NIP-09: deleting
 * a deletion request has no effect; NIP-62: neither has deleting a request to vanish).
 *
 * @param ids event ids (hex) from {@code e} tags
 * @param addresses addresses from {@code a} tags, all by the requester
 * @param pubkey the requester
 * @param until the request's created_at: address versions at or before it are deleted
 */
public record DeletionTargets(List<String> ids, List<Address> addresses, String pubkey, long until) {

    /** Kinds a deletion request never deletes. */
    public static final Set<Integer> UNDELETABLE_KINDS = Set.of(5, 62);

    /** A replaceable or addressable address; {@code d} is "" for replaceable kinds. */
    public record Address(int kind, String pubkey, String d) {}

    public DeletionTargets {
        ids = List.copyOf(ids);
        addresses = List.copyOf(addresses);
    }

    /**
     * Reads the targets of {@code request}.
     *
     * @throws IllegalArgumentException if it is not a kind 5 event
     */
    public static DeletionTargets of(Event request) {
        if (request.kind() != 5) {
            throw new IllegalArgumentException("a NIP-09 deletion request is kind 5, got kind " + request.kind());
        }
        Set<String> ids = new LinkedHashSet<>();
        Set<Address> addresses = new LinkedHashSet<>();
        for (List<String> t : request.tags()) {
            if (t.size() < 2) {
                continue;
            }
            String v = t.get(1);
            if (t.get(0).equals("e") && Hex.isLowerHex(v, 64)) {
                ids.add(v);
            } else if (t.get(0).equals("a")) {
                Address a = parseAddress(v);
                if (a != null && a.pubkey().equals(request.pubkey())) {
                    addresses.add(a);
                }
            }
        }
        return new DeletionTargets(new ArrayList<>(ids), new ArrayList<>(addresses), request.pubkey(), request.createdAt());
    }

    /** {@code kind:pubkey:d} of a replaceable or addressable kind, else null. */
    static Address parseAddress(String v) {
        String[] parts = v.split(":", 3);
        if (parts.length < 2 || !Hex.isLowerHex(parts[1], 64) || parts[0].isEmpty() || parts[0].length() > 5) {
            return null;
        }
        int kind;
        try {
            kind = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            return null;
        }
        KindClass k = KindClass.of(kind);
        if (kind > 65535 || (k != KindClass.REPLACEABLE && k != KindClass.ADDRESSABLE)) {
            return null;
        }
        String d = k == KindClass.REPLACEABLE || parts.length < 3 ? "" : IndexedTag.normalized(parts[2]);
        return new Address(kind, parts[1], d);
    }
}
