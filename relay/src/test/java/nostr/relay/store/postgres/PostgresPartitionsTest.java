package nostr.relay.store.postgres;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.ids;
import static nostr.relay.store.TestEvents.nip01Order;
import static nostr.relay.store.TestEvents.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import nostr.core.Hex;
import nostr.core.event.Event;
import nostr.core.event.EventJson;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.store.WriteStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Range partitions of events by created_at: created on demand inside the window (floor .. current
 * + future), any other timestamp in the default partition, and rows moved out of the default
 * partition when their partition is created later. Events stay queryable throughout.
 */
class PostgresPartitionsTest {
    static final String SCHEMA = "partitions";
    final SecretKey key = SecretKey.generate();
    PostgresStorage storage;

    @BeforeEach
    void fresh() throws Exception {
        PostgresTestSupport.dropSchema(SCHEMA);
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private PostgresStorage open(int future) throws Exception {
        return PostgresStorage.open(PostgresTestSupport.options(SCHEMA).withPartitions(1, LocalDate.of(2020, 1, 1), future));
    }

    private String partitionOf(Event e) throws Exception {
        return storage.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT tableoid::regclass::text FROM events WHERE id = ?")) {
                ps.setBytes(1, Hex.decode(e.id()));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "(absent)";
                }
            }
        });
    }

    private static long epoch(YearMonth ym, int day) {
        return ym.atDay(day).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    @Test
    void timestampsOutsideTheWindowGoToTheDefaultPartitionAndInsideToTheirMonth() throws Exception {
        storage = open(1);
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        Event epochZero = event(key, 1, 0, "1970");
        Event beforeFloor = event(key, 1, epoch(YearMonth.of(2019, 12), 31), "2019");
        Event backfill = event(key, 1, epoch(YearMonth.of(2021, 3), 15), "2021-03");
        Event current = event(key, 1, epoch(now, 1) + 5, "this month");
        Event farFuture = event(key, 1, EventJson.MAX_CREATED_AT, "year 285 million");
        List<Event> all = List.of(epochZero, beforeFloor, backfill, current, farFuture);
        assertEquals(List.of(WriteStatus.STORED, WriteStatus.STORED, WriteStatus.STORED, WriteStatus.STORED,
                WriteStatus.STORED), storage.events().write(all));
        assertEquals("events_default", partitionOf(epochZero));
        assertEquals("events_default", partitionOf(beforeFloor));
        assertEquals("events_p202103", partitionOf(backfill));
        assertEquals(PostgresPartitions.name(now), partitionOf(current));
        assertEquals("events_default", partitionOf(farFuture));
        assertTrue(storage.partitions().known().contains(YearMonth.of(2021, 3)));
        assertEquals(nip01Order(all), ids(query(storage.events(), Filter.builder().build(), 10, Long.MAX_VALUE / 2)));
    }

    @Test
    void futureEventsMoveOutOfTheDefaultPartitionWhenTheirMonthEntersTheWindow() throws Exception {
        storage = open(0);
        YearMonth later = YearMonth.now(ZoneOffset.UTC).plusMonths(3);
        Event future = event(key, 30023, epoch(later, 10), "scheduled", new String[] {"d", "x"}, new String[] {"t", "moved"});
        storage.events().write(List.of(future));
        assertEquals("events_default", partitionOf(future));
        storage.close();

        storage = open(4);
        assertEquals(PostgresPartitions.name(later), partitionOf(future));
        assertEquals(List.of(future.id()), ids(query(storage.events(), Filter.builder().tag('t', "moved").build(), 10,
                Long.MAX_VALUE / 2)));
        assertEquals(future.json(), storage.events().get(future.id()).orElseThrow().json());
        // the replaceable head still resolves against the moved row
        Event older = event(key, 30023, epoch(later, 9), "older", new String[] {"d", "x"});
        assertEquals(List.of(WriteStatus.SUPERSEDED), storage.events().write(List.of(older)));
        Event newer = event(key, 30023, epoch(later, 11), "newer", new String[] {"d", "x"});
        assertEquals(List.of(WriteStatus.STORED), storage.events().write(List.of(newer)));
        assertEquals("(absent)", partitionOf(future));
        assertEquals(1, storage.events().size());
    }
}
