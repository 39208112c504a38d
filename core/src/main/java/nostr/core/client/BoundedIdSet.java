package nostr.core.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event ids a subscription has delivered, to drop duplicates, in bounded memory: at most
 * {@code capacity} ids, the least recently seen evicted first (an access-ordered LinkedHashMap).
 * An evicted id that comes back counts as new: duplicates older than the window leak through,
 * memory never grows. Not thread-safe; callers hold their subscription's lock.
 */
final class BoundedIdSet {
    private final int capacity;
    private final LinkedHashMap<String, Boolean> ids;

    BoundedIdSet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1024) * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > BoundedIdSet.this.capacity;
            }
        };
    }

    /** Records {@code id}; true when it was not among the remembered ids. */
    boolean add(String id) {
        return ids.put(id, Boolean.TRUE) == null;
    }

    /** True when {@code id} is remembered (refreshes its recency). */
    boolean contains(String id) {
        return ids.get(id) != null;
    }

    int size() {
        return ids.size();
    }

    int capacity() {
        return capacity;
    }
}
