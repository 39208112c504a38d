package nostr.relay.deletion;

import java.util.List;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.event.KindClass;

/**
 * The shape NIP-09 gives a deletion request (kind 5), checked before its signature is: at least
 * one {@code e} or {@code a} tag, every {@code e} value an event id, every {@code a} value an
 * address {@code <kind>:<pubkey>:<d>} of a replaceable or addressable kind. A request that fails
 * is refused {@code invalid:} naming the tag, and nothing of it is stored or applied.
 *
 * <p>What a well-formed request does is the store's business
 * ({@code EventStore.writeDeletionRequest}): only the requester's own events are deleted,
 * addresses only up to the request's created_at, and deletion requests and requests to vanish
 * never. An {@code a} tag naming another author's address is well-formed and simply has no
 * effect (NIP-09: relays delete only events with the request's pubkey).
 */
public final class DeletionRequests {
    /** NIP-09 deletion request. */
    public static final int KIND = 5;

    private DeletionRequests() {}

    /** Null when {@code request} (kind 5) is well-formed, else the OK false message. */
    public static String check(Event request) {
        int targets = 0;
        for (List<String> tag : request.tags()) {
            String name = tag.getFirst();
            if (!name.equals("e") && !name.equals("a")) {
                continue;
            }
            if (tag.size() < 2) {
                return "invalid: deletion request has an empty " + name + " tag (NIP-09)";
            }
            String value = tag.get(1);
            if (name.equals("e") && !Hex.isLowerHex(value, 64)) {
                return "invalid: deletion request e tag '" + shorten(value) + "' is not an event id (64 lowercase hex)";
            }
            if (name.equals("a") && !isAddress(value)) {
                return "invalid: deletion request a tag '" + shorten(value) + "' is not <kind>:<pubkey>:<d-tag> of a "
                        + "replaceable or addressable kind";
            }
            targets++;
        }
        if (targets == 0) {
            return "invalid: a deletion request (kind 5) needs at least one e or a tag naming what to delete (NIP-09)";
        }
        return null;
    }

    /** {@code kind:pubkey:d} with a replaceable or addressable kind and a hex pubkey. */
    static boolean isAddress(String value) {
        String[] parts = value.split(":", 3);
        if (parts.length < 2 || parts[0].isEmpty() || parts[0].length() > 5 || !parts[0].chars().allMatch(Character::isDigit)
                || !Hex.isLowerHex(parts[1], 64)) {
            return false;
        }
        int kind = Integer.parseInt(parts[0]);
        KindClass k = KindClass.of(kind);
        return kind <= 65535 && (k == KindClass.REPLACEABLE || k == KindClass.ADDRESSABLE);
    }

    static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
