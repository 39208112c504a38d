package nostr.relay.store.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import nostr.core.filter.Filter;
import nostr.relay.store.Visibility;

/**
 * Which index drives the query of one NIP-01 filter; both SQL adapters follow the same rule so
 * that their plans (and their performance) stay comparable.
 *
 * <p>The rule, most selective first: ids (unique index), then a tag condition (the tag index,
 * using the letter with the fewest values), then authors (with kinds: the pubkey-kind index),
 * then kinds, then created_at alone. A NIP-50 search with plain terms drives through the
 * full-text index (and is ordered by rank, not by time). Every
 * other condition of the filter is checked on the rows the driver yields.
 *
 * @param driver the access path
 * @param driverTag the tag letter that drives a {@link Driver#TAG} plan, else 0
 * @param filter the filter
 * @param visibility the reader's restrictions that concern this filter's kinds (checked on every row)
 */
public record FilterPlan(Driver driver, char driverTag, Filter filter, Visibility visibility) {

    public FilterPlan(Driver driver, char driverTag, Filter filter) {
        this(driver, driverTag, filter, Visibility.EVERYTHING);
    }

    /** Plans {@code f} for a reader restricted by {@code visibility}. */
    public static FilterPlan of(Filter f, Visibility visibility) {
        FilterPlan p = of(f);
        Visibility v = visibility.narrowTo(f.kinds());
        return v.isEverything() ? p : new FilterPlan(p.driver(), p.driverTag(), f, v);
    }

    /**
     * {@code part} of every filter that can match anything, joined by {@code operator} ({@code
     * "UNION"} or {@code "UNION ALL"}); null when no filter can match.
     */
    public static SqlBuilder union(List<Filter> filters, Visibility visibility, String operator,
                                   Function<FilterPlan, SqlBuilder> part) {
        SqlBuilder union = new SqlBuilder();
        for (Filter f : filters) {
            FilterPlan plan = of(f, visibility);
            if (plan.driver() == Driver.NOTHING) {
                continue;
            }
            if (!union.text().isEmpty()) {
                union.sql(" " + operator + " ");
            }
            union.append(part.apply(plan));
        }
        return union.text().isEmpty() ? null : union;
    }

    /** The access path of a filter. */
    public enum Driver { NOTHING, SEARCH, IDS, TAG, AUTHORS_KINDS, AUTHORS, KINDS, CREATED_AT }

    /** Plans {@code f}. */
    public static FilterPlan of(Filter f) {
        if (matchesNothing(f)) {
            return new FilterPlan(Driver.NOTHING, (char) 0, f);
        }
        if (isSearch(f)) {
            return new FilterPlan(Driver.SEARCH, (char) 0, f);
        }
        if (f.ids() != null) {
            return new FilterPlan(Driver.IDS, (char) 0, f);
        }
        if (!f.tags().isEmpty()) {
            char best = 0;
            int fewest = Integer.MAX_VALUE;
            for (Map.Entry<Character, Set<String>> t : f.tags().entrySet()) {
                if (t.getValue().size() < fewest) {
                    fewest = t.getValue().size();
                    best = t.getKey();
                }
            }
            return new FilterPlan(Driver.TAG, best, f);
        }
        if (f.authors() != null) {
            return new FilterPlan(f.kinds() != null ? Driver.AUTHORS_KINDS : Driver.AUTHORS, (char) 0, f);
        }
        if (f.kinds() != null) {
            return new FilterPlan(Driver.KINDS, (char) 0, f);
        }
        return new FilterPlan(Driver.CREATED_AT, (char) 0, f);
    }

    /**
     * True when {@code f} carries a NIP-50 search with at least one plain term. A search made of
     * {@code key:value} extensions only asks for nothing this relay supports, so it is ignored
     * (NIP-50: relays SHOULD ignore extensions they don't support) and the filter is a plain one.
     */
    public static boolean isSearch(Filter f) {
        return f.search() != null && !f.searchTerms().isEmpty();
    }

    /**
     * The words a NIP-50 search looks for: its plain terms (extensions dropped, lowercased) split at
     * every character that is not a letter or a digit, as both full-text tokenizers split content.
     * Each word matches a word of the content that starts with it; all words must match. Only
     * letters and digits reach the full-text query syntax, so nothing in a search string can
     * change a query's meaning.
     */
    public static List<String> searchWords(Filter f) {
        List<String> out = new ArrayList<>();
        for (String term : f.searchTerms()) {
            StringBuilder w = new StringBuilder();
            term.codePoints().forEach(cp -> {
                if (Character.isLetterOrDigit(cp)) {
                    w.appendCodePoint(cp);
                } else if (!w.isEmpty()) {
                    out.add(w.toString());
                    w.setLength(0);
                }
            });
            if (!w.isEmpty()) {
                out.add(w.toString());
            }
        }
        return out;
    }

    /**
     * True when some condition can match no event: an empty list, since after until, or a search
     * whose terms hold no letter or digit.
     */
    public static boolean matchesNothing(Filter f) {
        if ((f.ids() != null && f.ids().isEmpty()) || (f.authors() != null && f.authors().isEmpty())
                || (f.kinds() != null && f.kinds().isEmpty())) {
            return true;
        }
        for (Set<String> values : f.tags().values()) {
            if (values.isEmpty()) {
                return true;
            }
        }
        if (f.since() != null && f.until() != null && f.since() > f.until()) {
            return true;
        }
        return isSearch(f) && searchWords(f).isEmpty();
    }

    /**
     * The most rows the driver yields for one event: a tag join yields one row per requested
     * value the event carries. A per-filter SQL limit multiplied by this still returns at least
     * {@code limit} distinct events.
     */
    public int rowsPerEvent() {
        return driver == Driver.TAG ? filter.tags().get(driverTag).size() : 1;
    }

    /**
     * This plan as one plan per value of its driving list: per (author, kind) pair, per author,
     * per kind, or per value of the driving tag. Each piece reads its index in NIP-01 order and
     * can stop at the limit, so a k-way merge of the pieces ({@link OrderedMerge}) reads about
     * {@code limit + pieces} rows; one statement over the whole list (an {@code IN}) would read
     * every matching row of every value and sort them before returning the first. The pieces
     * match exactly what this plan matches, together.
     *
     * <p>Returns this plan alone when its driver has no list of several values (ids, search,
     * created_at), when the lists hold one value each, or when there would be more than
     * {@code maxPieces} pieces (then one sorted statement is cheaper than preparing that many).
     */
    public List<FilterPlan> split(int maxPieces) {
        Filter f = filter;
        List<FilterPlan> out = new ArrayList<>();
        switch (driver) {
            case AUTHORS_KINDS -> {
                long pieces = (long) f.authors().size() * f.kinds().size();
                if (pieces <= 1 || pieces > maxPieces) {
                    return List.of(this);
                }
                for (String author : f.authors()) {
                    for (Integer kind : f.kinds()) {
                        out.add(piece(f.ids(), Set.of(author), Set.of(kind), f.tags()));
                    }
                }
            }
            case AUTHORS -> {
                if (f.authors().size() <= 1 || f.authors().size() > maxPieces) {
                    return List.of(this);
                }
                for (String author : f.authors()) {
                    out.add(piece(f.ids(), Set.of(author), f.kinds(), f.tags()));
                }
            }
            case KINDS -> {
                if (f.kinds().size() <= 1 || f.kinds().size() > maxPieces) {
                    return List.of(this);
                }
                for (Integer kind : f.kinds()) {
                    out.add(piece(f.ids(), f.authors(), Set.of(kind), f.tags()));
                }
            }
            case TAG -> {
                Set<String> values = f.tags().get(driverTag);
                if (values.size() <= 1 || values.size() > maxPieces) {
                    return List.of(this);
                }
                for (String value : values) {
                    Map<Character, Set<String>> tags = new java.util.TreeMap<>(f.tags());
                    tags.put(driverTag, Set.of(value));
                    out.add(piece(f.ids(), f.authors(), f.kinds(), tags));
                }
            }
            default -> {
                return List.of(this);
            }
        }
        return out;
    }

    private FilterPlan piece(Set<String> ids, Set<String> authors, Set<Integer> kinds, Map<Character, Set<String>> tags) {
        Filter f = new Filter(ids, authors, kinds, tags, filter.since(), filter.until(), filter.limit(), filter.search());
        return new FilterPlan(driver, driverTag, f, visibility);
    }

    /** True when the driving list holds several values (see {@link #split}). */
    public boolean drivesSeveralValues() {
        Filter f = filter;
        return switch (driver) {
            case AUTHORS_KINDS -> f.authors().size() > 1 || f.kinds().size() > 1;
            case AUTHORS -> f.authors().size() > 1;
            case KINDS -> f.kinds().size() > 1;
            case TAG -> f.tags().get(driverTag).size() > 1;
            default -> false;
        };
    }

    /** The tag conditions checked on top of the driver. */
    public List<Character> otherTags() {
        List<Character> out = new ArrayList<>();
        for (Character c : filter.tags().keySet()) {
            if (driver != Driver.TAG || c != driverTag) {
                out.add(c);
            }
        }
        return out;
    }
}
