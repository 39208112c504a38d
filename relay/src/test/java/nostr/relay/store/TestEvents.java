package nostr.relay.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;

/** Real signed events for storage tests, and small helpers to read a store back. */
public final class TestEvents {
    private TestEvents() {}

    /** A signed event by {@code key}. Tags are given as arrays: {@code tag("e", id)}. */
    public static Event event(SecretKey key, int kind, long createdAt, String content, List<List<String>> tags) {
        return new EventTemplate(createdAt, kind, tags, content).sign(key);
    }

    public static Event event(SecretKey key, int kind, long createdAt, String content, String[]... tags) {
        List<List<String>> t = new ArrayList<>();
        for (String[] tag : tags) {
            t.add(Arrays.asList(tag));
        }
        return event(key, kind, createdAt, content, t);
    }

    public static String[] tag(String... values) {
        return values;
    }

    /** Runs a one-filter query and collects its result (tests only: the store itself never collects). */
    public static List<StoredEvent> query(EventStore store, Filter f, int limit, long now) throws StoreException {
        return query(store, new Query(List.of(new Query.Part(f, limit)), Integer.MAX_VALUE, now));
    }

    public static List<StoredEvent> query(EventStore store, Query q) throws StoreException {
        List<StoredEvent> out = new ArrayList<>();
        store.query(q, out::add);
        return out;
    }

    public static List<String> ids(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::id).toList();
    }

    public static List<String> idsOf(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    /** NIP-01 order of events, computed independently of the store: created_at desc, id asc. */
    public static List<String> nip01Order(List<Event> events) {
        return events.stream()
                .sorted((a, b) -> a.createdAt() != b.createdAt() ? Long.compare(b.createdAt(), a.createdAt())
                        : a.id().compareTo(b.id()))
                .map(Event::id).toList();
    }
}
