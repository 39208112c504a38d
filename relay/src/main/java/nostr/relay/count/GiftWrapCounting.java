package nostr.relay.count;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nostr.core.filter.Filter;

/**
 * The gift-wrap read restriction applied to COUNT. NIP-59 gift wraps (kind 1059) are readable
 * only by the recipient they are p-tagged to; even their number is private (how many messages
 * someone received, NIP-45's own "cannot count other people's DMs" example). So:
 *
 * <ul>
 *   <li>a filter that names kind 1059 is refused, unless the connection has authenticated (NIP-42)
 *       as every pubkey its {@code #p} condition names (then it counts only their own gift wraps);
 *   <li>a filter without {@code kinds} would count gift wraps among everything else: the relay
 *       subtracts the gift wraps it matches that are not addressed to the authenticated pubkeys
 *       (all of them when the connection has not authenticated).
 * </ul>
 *
 * <p>This relay has no NIP-42 AUTH yet, so {@code authenticated} is always empty today: every
 * COUNT naming kind 1059 is refused and gift wraps never count.
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
            Set<String> recipients = f.tags().get('p');
            if (authenticated.isEmpty()) {
                return "restricted: gift wraps (kind 1059) are private to their recipient; this relay does not count them";
            }
            if (recipients == null || !authenticated.containsAll(recipients)) {
                return "restricted: only gift wraps (kind 1059) addressed to you can be counted: add #p with your own pubkey";
            }
        }
        return null;
    }

    /**
     * The gift wraps among what {@code filters} (already past {@link #refusal}) match: {@code all}
     * of them, and those of them the connection may see ({@code visible}, addressed to its
     * authenticated pubkeys). The count subtracts {@code count(all) - count(visible)}. Both empty
     * when every filter names its kinds (then none can match a gift wrap it may not count).
     */
    static Subtraction hidden(List<Filter> filters, Set<String> authenticated) {
        List<Filter> all = new ArrayList<>();
        List<Filter> visible = new ArrayList<>();
        for (Filter f : filters) {
            if (f.kinds() != null) {
                continue; // names kind 1059 only when refusal() allowed it, else cannot match one
            }
            all.add(withKindAndP(f, null));
            if (!authenticated.isEmpty()) {
                // A gift wrap has one p tag (NIP-59): "p in the filter's set and in ours" is "p in both".
                Set<String> own = new java.util.LinkedHashSet<>(authenticated);
                if (f.tags().containsKey('p')) {
                    own.retainAll(f.tags().get('p'));
                }
                if (!own.isEmpty()) {
                    visible.add(withKindAndP(f, own));
                }
            }
        }
        return new Subtraction(all, visible);
    }

    private static Filter withKindAndP(Filter f, Set<String> p) {
        java.util.Map<Character, Set<String>> tags = new java.util.TreeMap<>(f.tags());
        if (p != null) {
            tags.put('p', p);
        }
        return new Filter(f.ids(), f.authors(), Set.of(GIFT_WRAP), tags, f.since(), f.until(), null, f.search());
    }

    /** Gift wraps matched ({@code all}) and the visible ones among them. */
    record Subtraction(List<Filter> all, List<Filter> visible) {}
}
