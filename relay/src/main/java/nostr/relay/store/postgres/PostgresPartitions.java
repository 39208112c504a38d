package nostr.relay.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import nostr.core.event.Event;
import nostr.relay.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the range partitions of {@code events} on demand.
 *
 * <p>Partitions cover {@code partitionMonths} calendar months (UTC) each, named after their first
 * month ({@code events_p202405}). Only a window gets its own partitions: from the configured floor
 * up to {@code futurePartitions} partitions past the current one. Any other timestamp (a client
 * may send 0 or year 285 million) lands in {@code events_default}, so no event is ever refused
 * for its timestamp and no client can make the relay create partitions without bound.
 *
 * <p>Creating a partition is safe at any time: in one transaction, under an advisory lock so that
 * several relay nodes do not race, it creates the table, moves rows of its range out of the
 * default partition (events that arrived before their month entered the window), and attaches it.
 * A failure is logged and not fatal: rows whose partition is missing go to the default partition
 * and move when it is created later. The writer calls {@link #ensureFor} before each batch; only
 * the first event of a new month costs a round trip.
 */
final class PostgresPartitions {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPartitions.class);
    private static final Pattern NAME = Pattern.compile("events_p(\\d{4})(\\d{2})");

    private final DataSource maintenance;
    private final int months;
    private final long floorEpoch;
    private final int future;
    private final Set<YearMonth> known = ConcurrentHashMap.newKeySet();

    PostgresPartitions(DataSource maintenance, PostgresOptions o) {
        this.maintenance = maintenance;
        this.months = o.partitionMonths();
        this.floorEpoch = bucketStart(YearMonth.from(o.partitionFloor())).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        this.future = o.futurePartitions();
    }

    /** Reads the existing partitions and creates the current and future ones. */
    void start(long nowSeconds) throws StoreException {
        try (Connection c = maintenance.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT child.relname FROM pg_inherits AS i "
                    + "JOIN pg_class AS child ON child.oid = i.inhrelid JOIN pg_class AS parent ON parent.oid = i.inhparent "
                    + "JOIN pg_namespace AS n ON n.oid = parent.relnamespace "
                    + "WHERE parent.relname = 'events' AND n.nspname = current_schema()");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = NAME.matcher(rs.getString(1));
                    if (m.matches()) {
                        known.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new StoreException("postgres: cannot list partitions: " + e.getMessage(), e);
        }
        YearMonth current = bucketStart(YearMonth.from(LocalDate.ofEpochDay(Math.floorDiv(nowSeconds, 86_400))));
        for (int i = 0; i <= future; i++) {
            YearMonth b = current.plusMonths((long) i * months);
            if (!known.contains(b)) {
                create(b);
            }
        }
    }

    /** Creates the partitions the events of a batch fall in, if they are in the window and missing. */
    void ensureFor(Collection<Event> events, long nowSeconds) {
        Set<YearMonth> missing = null;
        long upper = windowEnd(nowSeconds);
        for (Event e : events) {
            long t = e.createdAt();
            if (t < floorEpoch || t >= upper) {
                continue;
            }
            YearMonth b = bucketOf(t);
            if (!known.contains(b)) {
                if (missing == null) {
                    missing = new TreeSet<>();
                }
                missing.add(b);
            }
        }
        if (missing != null) {
            for (YearMonth b : missing) {
                try {
                    create(b);
                } catch (StoreException e) {
                    LOG.warn("events partition {} not created now ({}); its rows go to events_default until it is",
                            name(b), e.getMessage());
                }
            }
        }
    }

    /** Partitions known to exist (for tests and metrics). */
    Set<YearMonth> known() {
        return Set.copyOf(known);
    }

    YearMonth bucketOf(long createdAt) {
        return bucketStart(YearMonth.from(LocalDate.ofEpochDay(Math.floorDiv(createdAt, 86_400))));
    }

    private YearMonth bucketStart(YearMonth ym) {
        long index = ym.getYear() * 12L + ym.getMonthValue() - 1;
        long start = Math.floorDiv(index, months) * months;
        return YearMonth.of((int) Math.floorDiv(start, 12), (int) Math.floorMod(start, 12) + 1);
    }

    private long windowEnd(long nowSeconds) {
        YearMonth end = bucketOf(nowSeconds).plusMonths((long) (future + 1) * months);
        return epoch(end);
    }

    private static long epoch(YearMonth ym) {
        return ym.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    static String name(YearMonth b) {
        return String.format("events_p%04d%02d", b.getYear(), b.getMonthValue());
    }

    /*
     * DDL cannot take bind parameters: the table name is built from a YearMonth's digits and the
     * bounds are longs, so nothing from a client reaches this text.
     */
    private void create(YearMonth b) throws StoreException {
        String table = name(b);
        long from = epoch(b);
        long to = epoch(b.plusMonths(months));
        try (Connection c = maintenance.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '10s'");
                st.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.events partitions'))");
                boolean exists;
                try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
                    exists = rs.next() && rs.getBoolean(1);
                }
                if (!exists) {
                    st.execute("CREATE TABLE " + table + " (LIKE events INCLUDING DEFAULTS)");
                    int moved = st.executeUpdate("WITH moved AS (DELETE FROM events_default WHERE created_at >= " + from
                            + " AND created_at < " + to + " RETURNING *) INSERT INTO " + table + " SELECT * FROM moved");
                    st.execute("ALTER TABLE events ATTACH PARTITION " + table + " FOR VALUES FROM (" + from + ") TO (" + to + ")");
                    if (moved > 0) {
                        LOG.info("created events partition {} and moved {} events into it from events_default", table, moved);
                    }
                }
                c.commit();
                known.add(b);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("postgres: cannot create partition " + table + ": " + e.getMessage(), e);
        }
    }
}
