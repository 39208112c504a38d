package nostr.relay.count;

import java.util.List;
import java.util.Set;
import nostr.core.filter.Filter;
import nostr.relay.store.Visibility;

/**
 * The gift-wrap read restriction applied to COUNT. NIP-59 gift wraps (kind 1059) are readable
 * only by the recipient they are p-tagged to; even their number is private (how many messages
 * someone received: NIP-45's own example refuses to "count other people's DMs"). So:
 *
 * <ul>
 *   <li>a filter that names kind 1059 is refused {@code restricted:}, unless the connection has
 *       authenticated (NIP-42) as every pubkey its {@code #p} condition names;
 *   <li>every count runs with the store's {@link Visibility} that shows gift wraps only to the
 *       pubkeys the connection authenticated as, inside each filter's SQL: a filter without
 *       {@code kinds} counts everything else exactly, and never a gift wrap it may not read.
 * </ul>
 *
 * <p>The relay has no NIP-42 AUTH yet, so {@code authenticated} is always empty today: every COUNT
 * naming kind 1059 is refused and gift wraps are never counted.
 */
final class GiftWrapCounting {
    static final int GIFT_WRAP = 1059;

    private GiftWrapCounting() {}

    /** Null when every filter may be counted, else the CLOSED message. */
    static String refusal(List<Filter> filters, Set<String> authenticated) {
        for (Filter f : filters) {
            if (f.kinds() == null || !f.kinds().contains(GIFT_WRAP)) {
                continue;
            }
            if (authenticated.isEmpty()) {
                return "restricted: gift wraps (kind 1059) are private to their recipient; this relay does not count them";
            }
            Set<String> recipients = f.tags().get('p');
            if (recipients == null || !authenticated.containsAll(recipients)) {
                return "restricted: only gift wraps (kind 1059) addressed to you can be counted: add #p with your own pubkey";
            }
        }
        return null;
    }

    /** What this connection may count: gift wraps only when addressed to its authenticated pubkeys. */
    static Visibility visibility(Set<String> authenticated) {
        return new Visibility(Set.of(), Set.of(GIFT_WRAP), authenticated);
    }
}
