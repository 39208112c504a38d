package nostr.relay.store;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * The maintenance part of the port (operator tools: stats, compact; the vanish scrub job): counts
 * match what was written, compaction and scrubbing keep every stored event, and the vanish counter
 * only grows.
 */
public abstract class MaintenanceStoreContract extends StorageContract {
    protected MaintenanceStore maintenance;
    protected EventStore events;

    @Override
    protected void opened() {
        maintenance = storage.maintenance();
        events = storage.events();
    }

    /** True when compacting after mass deletion gives space back to the operating system (SQLite VACUUM). */
    protected abstract boolean compactShrinksAfterDeletion();

    @Test
    void statsOfAnEmptyStoreHaveNoEventsAndNoTimeRange() throws Exception {
        MaintenanceStore.Stats s = maintenance.stats();
        assertEquals(storage.name(), s.store());
        assertEquals(0, s.events());
        assertEquals(Map.of(), s.eventsByKind());
        assertEquals(OptionalLong.empty(), s.oldestCreatedAt());
        assertEquals(OptionalLong.empty(), s.newestCreatedAt());
        assertTrue(s.sizeBytes() > 0, "the schema alone takes space: " + s.sizeBytes());
    }

    @Test
    void statsCountEventsByKindAndTheirTimeRange() throws Exception {
        SecretKey k = SecretKey.generate();
        List<Event> written = List.of(
                event(k, 1, 1_700_000_000L, "a"), event(k, 1, 1_700_000_500L, "b"), event(k, 7, 1_600_000_000L, "+"),
                event(k, 30023, 1_750_000_000L, "article", TestEvents.tag("d", "x")),
                event(k, 0, 1_650_000_000L, "{}"), event(k, 0, 1_650_000_001L, "{\"name\":\"newer\"}"));
        events.write(written);
        MaintenanceStore.Stats s = maintenance.stats();
        // The second kind 0 replaced the first (NIP-01): five rows.
        assertEquals(5, s.events());
        assertEquals(Map.of(0, 1L, 1, 2L, 7, 1L, 30023, 1L), s.eventsByKind());
        assertEquals(List.of(0, 1, 7, 30023), List.copyOf(s.eventsByKind().keySet()), "kinds ascending");
        assertEquals(OptionalLong.of(1_600_000_000L), s.oldestCreatedAt());
        assertEquals(OptionalLong.of(1_750_000_000L), s.newestCreatedAt());
        assertEquals(s.events(), events.size());
    }

    @Test
    void compactKeepsEveryEventAndReportsWhatItRan() throws Exception {
        SecretKey keep = SecretKey.generate();
        SecretKey gone = SecretKey.generate();
        String filler = "x".repeat(2000);
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            batch.add(event(gone, 1, 1_700_000_000L + i, filler + i));
        }
        Event kept = event(keep, 1, 1_700_000_000L, "kept");
        batch.add(kept);
        events.write(batch);
        assertEquals(400, events.vanish(gone.publicKey().hex(), 1_800_000_000L));

        MaintenanceStore.Compaction c = maintenance.compact();
        assertFalse(c.actions().isEmpty());
        assertTrue(c.actions().stream().anyMatch(a -> a.startsWith("VACUUM")), c.actions().toString());
        if (compactShrinksAfterDeletion()) {
            assertTrue(c.sizeAfterBytes() < c.sizeBeforeBytes(), c.toString());
        }
        assertEquals(c.sizeAfterBytes(), maintenance.stats().sizeBytes());
        assertEquals(List.of(kept.id()), TestEvents.ids(TestEvents.query(events,
                Filter.builder().authors(List.of(keep.publicKey().hex())).build(), 10, 1_700_000_001L)));
        assertEquals(1, maintenance.stats().events());
        // Still writable after compaction.
        Event after = event(keep, 1, 1_700_000_001L, "after");
        assertEquals(List.of(WriteStatus.STORED), events.write(List.of(after)));
    }

    @Test
    void nip62VanishRequestCountOnlyGrowsAndSurvivesReopen() throws Exception {
        assertEquals(0, maintenance.vanishRequestCount());
        SecretKey k = SecretKey.generate();
        events.write(List.of(event(k, 1, 1_700_000_000L, "bye")));
        events.vanish(k.publicKey().hex(), 1_700_000_000L);
        assertEquals(1, maintenance.vanishRequestCount());
        events.vanish(k.publicKey().hex(), 1_700_000_100L);
        assertEquals(2, maintenance.vanishRequestCount());
        closeAndReopen();
        assertEquals(2, maintenance.vanishRequestCount());
    }

    @Test
    void nip62ScrubKeepsEveryStoredEventAndSearchStillWorks() throws Exception {
        SecretKey gone = SecretKey.generate();
        SecretKey keep = SecretKey.generate();
        Event kept = event(keep, 1, 1_700_000_000L, "scrubbing keeps searchable words");
        events.write(List.of(event(gone, 1, 1_700_000_000L, "vanishing words"), kept));
        events.vanish(gone.publicKey().hex(), 1_700_000_000L);
        maintenance.scrubDeleted();
        assertEquals(List.of(kept.id()), TestEvents.ids(TestEvents.query(events,
                Filter.builder().search("searchable").build(), 10, 1_700_000_001L)));
        assertEquals(List.of(), TestEvents.query(events, Filter.builder().search("vanishing").build(), 10, 1_700_000_001L));
        assertEquals(1, maintenance.stats().events());
    }
}
