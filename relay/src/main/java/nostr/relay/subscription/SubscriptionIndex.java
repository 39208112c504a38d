package nostr.relay.subscription;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import nostr.core.event.Event;
import nostr.core.filter.Filter;

/**
 * Every open subscription of every connection, indexed so that fan-out looks at few candidates
 * per event instead of all subscriptions.
 *
 * <p>Each filter is filed under one field, its most selective: ids, else authors, else the tag
 * letter with the fewest values, else kinds, else the match-all list. An event is then looked up
 * by its id, its pubkey, its kind and each of its single-letter tags (letter and first value);
 * every filter found is checked in full with {@link Filter#matches}. A filter with an empty list
 * matches nothing and is filed nowhere.
 *
 * <p>Buckets are copy-on-write arrays in concurrent maps: REQ and CLOSE (many connection threads)
 * replace arrays, fan-out (one thread) reads them without locks or allocation.
 */
public final class SubscriptionIndex {
    private static final Entry[] NONE = new Entry[0];

    /** One filter of one subscription, as filed in a bucket. */
    record Entry(Subscription subscription, Filter filter) {}

    /** Receives the subscriptions an event matches, each once per {@link #forEachMatch} call. */
    @FunctionalInterface
    public interface MatchVisitor {
        void matched(Subscription subscription);
    }

    private final ConcurrentHashMap<String, Entry[]> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry[]> byAuthor = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Entry[]> byKind = new ConcurrentHashMap<>();
    @SuppressWarnings("unchecked")
    private final ConcurrentHashMap<String, Entry[]>[] byTag = new ConcurrentHashMap[52];
    private final AtomicReference<Entry[]> matchAll = new AtomicReference<>(NONE);
    private long mark;

    public SubscriptionIndex() {
        for (int i = 0; i < byTag.length; i++) {
            byTag[i] = new ConcurrentHashMap<>();
        }
    }

    /** Files every filter of {@code s}. */
    public void add(Subscription s) {
        for (Filter f : s.filters()) {
            file(f, new Entry(s, f), s, true);
        }
    }

    /** Removes every filter of {@code s} (the same instance that was added). */
    public void remove(Subscription s) {
        for (Filter f : s.filters()) {
            file(f, null, s, false);
        }
    }

    /**
     * Distinct subscriptions filed in some bucket (a full scan: for tests and diagnostics). One
     * whose filters all hold an empty list matches nothing and is filed nowhere.
     */
    public int size() {
        java.util.Set<Subscription> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.function.Consumer<Entry[]> collect = arr -> {
            for (Entry e : arr) {
                all.add(e.subscription());
            }
        };
        byId.values().forEach(collect);
        byAuthor.values().forEach(collect);
        byKind.values().forEach(collect);
        for (ConcurrentHashMap<String, Entry[]> m : byTag) {
            m.values().forEach(collect);
        }
        collect.accept(matchAll.get());
        return all.size();
    }

    /**
     * Calls {@code visitor} once for each subscription with a filter matching {@code event}.
     * Fan-out's thread only: the once-per-event bookkeeping lives in the subscriptions.
     */
    public void forEachMatch(Event event, MatchVisitor visitor) {
        long m = ++mark;
        visit(byId.get(event.id()), event, m, visitor);
        visit(byAuthor.get(event.pubkey()), event, m, visitor);
        visit(byKind.get(event.kind()), event, m, visitor);
        for (List<String> tag : event.tags()) {
            String name = tag.get(0);
            if (name.length() == 1 && tag.size() >= 2) {
                int slot = slot(name.charAt(0));
                if (slot >= 0) {
                    visit(byTag[slot].get(tag.get(1)), event, m, visitor);
                }
            }
        }
        visit(matchAll.get(), event, m, visitor);
    }

    private static void visit(Entry[] entries, Event event, long m, MatchVisitor visitor) {
        if (entries == null) {
            return;
        }
        for (Entry e : entries) {
            Subscription s = e.subscription();
            if (s.fanoutMark != m && e.filter().matches(event)) {
                s.fanoutMark = m;
                visitor.matched(s);
            }
        }
    }

    /** Adds {@code entry} to, or removes {@code s}'s entries from, each bucket {@code f} is filed under. */
    private void file(Filter f, Entry entry, Subscription s, boolean add) {
        if (f.ids() != null) {
            for (String id : f.ids()) {
                update(byId, id, entry, s, add);
            }
        } else if (f.authors() != null) {
            for (String a : f.authors()) {
                update(byAuthor, a, entry, s, add);
            }
        } else if (!f.tags().isEmpty()) {
            Map.Entry<Character, Set<String>> narrowest = null;
            for (Map.Entry<Character, Set<String>> t : f.tags().entrySet()) {
                if (narrowest == null || t.getValue().size() < narrowest.getValue().size()) {
                    narrowest = t;
                }
            }
            ConcurrentHashMap<String, Entry[]> map = byTag[slot(narrowest.getKey())];
            for (String v : narrowest.getValue()) {
                update(map, v, entry, s, add);
            }
        } else if (f.kinds() != null) {
            for (Integer k : f.kinds()) {
                update(byKind, k, entry, s, add);
            }
        } else if (add) {
            matchAll.updateAndGet(arr -> append(arr, entry));
        } else {
            matchAll.updateAndGet(arr -> {
                Entry[] rest = without(arr, s);
                return rest == null ? NONE : rest;
            });
        }
    }

    private static <K> void update(ConcurrentHashMap<K, Entry[]> map, K key, Entry entry, Subscription s, boolean add) {
        if (add) {
            map.compute(key, (k, arr) -> arr == null ? new Entry[] {entry} : append(arr, entry));
        } else {
            map.computeIfPresent(key, (k, arr) -> without(arr, s));
        }
    }

    /** a-z to 0-25, A-Z to 26-51, anything else -1. */
    private static int slot(char c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= 'A' && c <= 'Z') {
            return 26 + (c - 'A');
        }
        return -1;
    }

    private static Entry[] append(Entry[] a, Entry e) {
        Entry[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = e;
        return out;
    }

    /** {@code arr} without the entries of {@code s}; null when nothing is left (removes the bucket). */
    private static Entry[] without(Entry[] arr, Subscription s) {
        int keep = 0;
        for (Entry e : arr) {
            if (e.subscription() != s) {
                keep++;
            }
        }
        if (keep == 0) {
            return null;
        }
        if (keep == arr.length) {
            return arr;
        }
        Entry[] out = new Entry[keep];
        int i = 0;
        for (Entry e : arr) {
            if (e.subscription() != s) {
                out[i++] = e;
            }
        }
        return out;
    }
}
