package nostr.relay.query;

import java.util.List;
import nostr.core.filter.Filter;

/**
 * Bounds on NIP-50 search strings, so one REQ cannot make the full-text engine match hundreds of
 * prefix terms at once. Anything within them is searched as it is: the store reduces a search to
 * words of letters and digits (so quotes, operators and SQL in a search string are just text), a
 * string of extensions only is a plain filter, and one whose terms hold no letter or digit matches
 * nothing.
 */
public final class SearchLimits {
    /** Characters of one search string. */
    public static final int MAX_LENGTH = 1024;
    /** Words one search string may hold (each is one prefix term of the full-text query). */
    public static final int MAX_WORDS = 32;

    private SearchLimits() {}

    /** Null when every filter's search is within bounds, else the CLOSED message. */
    public static String check(List<Filter> filters) {
        for (Filter f : filters) {
            String s = f.search();
            if (s == null) {
                continue;
            }
            if (s.length() > MAX_LENGTH) {
                return "invalid: search string is " + s.length() + " characters long, limit " + MAX_LENGTH;
            }
            int words = 0;
            for (String term : f.searchTerms()) {
                for (String w : term.split("[^\\p{L}\\p{N}]+")) {
                    if (!w.isEmpty()) {
                        words++;
                    }
                }
            }
            if (words > MAX_WORDS) {
                return "invalid: search string has " + words + " words, limit " + MAX_WORDS;
            }
        }
        return null;
    }
}
