package nostr.relay.store;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * The storage port's NIP-77 support, on every adapter: {@link EventStore#scanItems} streams a
 * filter's negentropy items in the order the negentropy protocol sorts them (created_at, then id
 * bytes; "Preparation" in the protocol text), and {@link EventStore#setChangeListener} reports every
 * event a committed transaction stores or removes (what keeps the relay's negentropy index equal to
 * the store).
 */
public abstract class NegentropyItemsContract extends StorageContract {
    protected static final long T = 1_700_000_000L;
    protected static final long NOW = T + 100_000;

    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();
    private final List<List<EventStore.Change>> committed = new ArrayList<>();
    private EventStore store;

    @Override
    protected void opened() {
        store = storage.events();
    }

    /** One scanned item, with the id as hex for readable failures. */
    private record Item(long createdAt, String id, int kind, long expiresAt) {}

    private List<Item> scan(Filter f, Visibility v) throws StoreException {
        List<Item> out = new ArrayList<>();
        store.scanItems(f, NOW, v, (createdAt, id, kind, expiresAt) -> {
            out.add(new Item(createdAt, Hex.encode(id), kind, expiresAt));
            return true;
        });
        return out;
    }

    /** The negentropy order, computed here from the events: created_at ascending, then id bytes (= lowercase hex). */
    private static List<String> negentropyOrder(List<Event> events) {
        return events.stream().sorted(Comparator.comparingLong(Event::createdAt).thenComparing(Event::id)).map(Event::id).toList();
    }

    @Test
    void nip77ScanYieldsEveryEventAscendingByCreatedAtThenIdWithTiesSorted() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Four events per second: ties are the case the created_at indexes do not order for us.
            events.add(event(i % 2 == 0 ? alice : bob, 1, T + i / 4, "note " + i));
        }
        store.write(events);
        List<Item> items = scan(Filter.builder().build(), Visibility.EVERYTHING);
        assertEquals(negentropyOrder(events), items.stream().map(Item::id).toList());
        for (Item it : items) {
            Event e = events.stream().filter(x -> x.id().equals(it.id())).findFirst().orElseThrow();
            assertEquals(e.createdAt(), it.createdAt());
            assertEquals(1, it.kind());
            assertEquals(0, it.expiresAt());
        }
    }

    @Test
    void nip77ScanAppliesFilterExpiryAndVisibilityAndIgnoresLimit() throws Exception {
        Event note = event(alice, 1, T, "a");
        Event reaction = event(alice, 7, T + 1, "+");
        Event bobNote = event(bob, 1, T + 2, "b");
        Event expiring = event(alice, 1, T + 3, "later", tag("expiration", String.valueOf(NOW + 50)));
        Event expired = event(alice, 1, T + 4, "gone", tag("expiration", String.valueOf(NOW - 1)));
        Event wrapToBob = event(alice, 1059, T + 5, "sealed", tag("p", bob.publicKey().hex()));
        store.write(List.of(note, reaction, bobNote, expiring, expired, wrapToBob));

        Filter aliceNotes = Filter.builder().authors(alice.publicKey().hex()).kinds(1).limit(1).build();
        assertEquals(negentropyOrder(List.of(note, expiring)), scan(aliceNotes, Visibility.EVERYTHING).stream().map(Item::id).toList());
        Item exp = scan(aliceNotes, Visibility.EVERYTHING).get(1);
        assertEquals(NOW + 50, exp.expiresAt());

        Visibility anonymous = new Visibility(Set.of(), Set.of(1059), Set.of());
        Visibility asBob = new Visibility(Set.of(), Set.of(1059), Set.of(bob.publicKey().hex()));
        List<String> all = scan(Filter.builder().build(), anonymous).stream().map(Item::id).toList();
        assertEquals(negentropyOrder(List.of(note, reaction, bobNote, expiring)), all);
        List<String> bobs = scan(Filter.builder().build(), asBob).stream().map(Item::id).toList();
        assertEquals(negentropyOrder(List.of(note, reaction, bobNote, expiring, wrapToBob)), bobs);
        assertEquals(List.of(bobNote.id()), scan(Filter.builder().since(T + 2).until(T + 2).build(), anonymous)
                .stream().map(Item::id).toList());
    }

    @Test
    void nip77ScanOfSeveralTagValuesYieldsAnEventOnce() throws Exception {
        String x = "aa".repeat(32);
        String y = "bb".repeat(32);
        Event both = event(alice, 1, T, "both", tag("e", x), tag("e", y));
        Event one = event(bob, 1, T, "one", tag("e", y));
        store.write(List.of(both, one));
        Filter f = Filter.builder().tag('e', x, y).build();
        assertEquals(negentropyOrder(List.of(both, one)), scan(f, Visibility.EVERYTHING).stream().map(Item::id).toList());
    }

    @Test
    void nip77ScanStopsWhenTheSinkSaysSo() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(event(alice, 1, T + i, "n" + i));
        }
        store.write(events);
        List<String> seen = new ArrayList<>();
        store.scanItems(Filter.builder().build(), NOW, Visibility.EVERYTHING, (createdAt, id, kind, expiresAt) -> {
            seen.add(Hex.encode(id));
            return seen.size() < 3;
        });
        assertEquals(negentropyOrder(events).subList(0, 3), seen);
    }

    // ---- change listener ----------------------------------------------------------------------

    private void listen() {
        store.setChangeListener(changes -> {
            synchronized (committed) {
                committed.add(changes);
            }
        });
    }

    /** The changes reported since the last call, flattened, as "+id" for stored and "-id" for removed. */
    private List<String> drained() {
        synchronized (committed) {
            List<String> out = new ArrayList<>();
            for (List<EventStore.Change> tx : committed) {
                for (EventStore.Change c : tx) {
                    out.add((c instanceof EventStore.Change.Stored ? "+" : "-") + HexFormat.of().formatHex(c.id()));
                }
            }
            committed.clear();
            return out;
        }
    }

    @Test
    void nip77ChangeListenerReportsStoredEventsButNotDuplicatesOrSuperseded() throws Exception {
        listen();
        Event a = event(alice, 1, T, "a", tag("expiration", String.valueOf(NOW + 10)));
        Event b = event(alice, 1, T + 1, "b");
        store.write(List.of(a, b));
        List<EventStore.Change> first;
        synchronized (committed) {
            first = List.copyOf(committed.getFirst());
        }
        assertEquals(List.of("+" + a.id(), "+" + b.id()), drained());
        EventStore.Change.Stored sa = (EventStore.Change.Stored) first.getFirst();
        assertEquals(T, sa.createdAt());
        assertEquals(1, sa.kind());
        assertEquals(NOW + 10, sa.expiresAt());
        store.write(List.of(a));
        assertEquals(List.of(), drained(), "a duplicate changes nothing");
    }

    @Test
    void nip77ChangeListenerReportsReplaceableSupersession() throws Exception {
        listen();
        Event v1 = event(alice, 0, T, "{\"name\":\"one\"}");
        Event v2 = event(alice, 0, T + 1, "{\"name\":\"two\"}");
        Event older = event(alice, 0, T - 1, "{\"name\":\"zero\"}");
        store.write(List.of(v1));
        assertEquals(List.of("+" + v1.id()), drained());
        store.write(List.of(v2));
        assertEquals(List.of("-" + v1.id(), "+" + v2.id()), drained());
        store.write(List.of(older));
        assertEquals(List.of(), drained(), "an older version is not stored");
        Event p1 = event(bob, 30023, T, "post", tag("d", "x"));
        Event p2 = event(bob, 30023, T + 5, "post v2", tag("d", "x"));
        store.write(List.of(p1, p2));
        List<String> both = drained();
        // Within one batch an adapter may store p1 and then remove it, or never store it: either way p2 is what is left.
        assertEquals("+" + p2.id(), both.getLast());
        assertEquals(Set.of(p2.id()), net(both));
    }

    /** The ids a sequence of changes leaves stored. */
    private static Set<String> net(List<String> changes) {
        java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>();
        for (String c : changes) {
            if (c.startsWith("+")) {
                s.add(c.substring(1));
            } else {
                s.remove(c.substring(1));
            }
        }
        return s;
    }

    @Test
    void nip77ChangeListenerReportsRemovalsByDeletionVanishPurgesAndBans() throws Exception {
        Event target = event(alice, 1, T, "to delete");
        Event keep = event(alice, 1, T + 1, "keep");
        Event expiring = event(bob, 1, T + 2, "expires", tag("expiration", String.valueOf(NOW - 5)));
        Event old445 = event(bob, 445, T - 10, "old group event", tag("h", "g"));
        Event banned = event(bob, 1, T + 3, "banned");
        Event bobLater = event(bob, 1, NOW + 500, "after vanish");
        store.write(List.of(target, keep, expiring, old445, banned, bobLater));
        listen();

        Event deletion = event(alice, 5, T + 10, "", tag("e", target.id()));
        store.writeDeletionRequest(deletion);
        assertEquals(Set.of("+" + deletion.id(), "-" + target.id()), Set.copyOf(drained()));

        assertEquals(1, store.purgeExpired(NOW));
        assertEquals(List.of("-" + expiring.id()), drained());

        assertEquals(1, store.purgeKindOlderThan(445, T));
        assertEquals(List.of("-" + old445.id()), drained());

        storage.moderation().banEvent(banned.id(), "spam");
        assertEquals(List.of("-" + banned.id()), drained());

        assertEquals(0, store.vanish(bob.publicKey().hex(), T + 5));
        assertEquals(List.of(), drained());
        assertEquals(2, store.vanish(alice.publicKey().hex(), NOW));
        assertEquals(Set.of("-" + keep.id(), "-" + deletion.id()), Set.copyOf(drained()));

        store.setChangeListener(null);
        store.write(List.of(event(alice, 1, NOW + 600, "unheard")));
        assertEquals(List.of(), drained(), "no listener, nothing reported");
        // What remains is what the scan shows: the listener and the store agree.
        List<String> left = new ArrayList<>();
        store.scanItems(Filter.builder().authors(bob.publicKey().hex()).build(), NOW, Visibility.EVERYTHING,
                (createdAt, id, kind, expiresAt) -> left.add(Hex.encode(id)));
        assertEquals(List.of(bobLater.id()), left);
    }
}
