package nostr.relay.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nostr.core.filter.Filter;
import nostr.relay.store.sql.FilterPlan;
import nostr.relay.store.sql.SqlBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NIP-01 REQ shapes run on indexes: EXPLAIN QUERY PLAN of the SQL the adapter compiles names the
 * intended index for the driving table and never scans a table without one.
 */
class SqliteQueryPlanTest {
    static final String A = "aa".repeat(32);
    static final String B = "bb".repeat(32);

    @TempDir
    Path dir;
    SqliteStorage storage;

    @BeforeEach
    void open() throws Exception {
        storage = SqliteStorage.open(dir, SqliteOptions.defaults());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("ids", Filter.builder().ids(A, B).build(), "USING INDEX events_id"),
                Arguments.of("kinds", Filter.builder().kinds(1).limit(100).build(), "USING INDEX events_kind"),
                Arguments.of("kinds since until", Filter.builder().kinds(1, 7).since(10).until(20).build(),
                        "USING INDEX events_kind"),
                Arguments.of("authors", Filter.builder().authors(A).build(), "USING INDEX events_pubkey "),
                Arguments.of("authors kinds", Filter.builder().authors(A, B).kinds(0, 3, 10002).build(),
                        "USING INDEX events_pubkey_kind"),
                Arguments.of("#e", Filter.builder().tag('e', A).build(), "USING COVERING INDEX event_tags_lookup"),
                Arguments.of("#p kinds", Filter.builder().tag('p', A, B).kinds(1, 7).build(),
                        "USING COVERING INDEX event_tags_lookup"),
                Arguments.of("#e #p", Filter.builder().tag('e', A).tag('p', A, B).build(),
                        "USING COVERING INDEX event_tags_lookup"),
                Arguments.of("#d authors kinds", Filter.builder().tag('d', "x").authors(A).kinds(30023).build(),
                        "USING COVERING INDEX event_tags_lookup"),
                Arguments.of("since", Filter.builder().since(10).build(), "USING INDEX events_created"),
                Arguments.of("everything", Filter.builder().build(), "USING INDEX events_created"),
                Arguments.of("search", Filter.builder().search("nostr relay").build(), "VIRTUAL TABLE INDEX"),
                Arguments.of("search kinds", Filter.builder().search("nostr").kinds(1).build(), "VIRTUAL TABLE INDEX"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void nip01QueryShapeUsesItsIndex(String name, Filter f, String expected) throws Exception {
        check(name, f, expected, FilterPlan.of(f));
    }

    /** NIP-42/NIP-59 read restrictions add conditions, never a different driving index or a scan. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void nip59ReadRestrictionsKeepTheShapesIndex(String name, Filter f, String expected) throws Exception {
        check(name + " (restricted)", f, expected, FilterPlan.of(f, RESTRICTED));
    }

    static Stream<Arguments> severalValues() {
        return Stream.of(
                Arguments.of("authors x kinds", Filter.builder().authors(A, B).kinds(1, 7).limit(20).build(), 4,
                        "USING INDEX events_pubkey_kind"),
                Arguments.of("authors x one kind", Filter.builder().authors(A, B).kinds(1).limit(20).build(), 2,
                        "USING INDEX events_pubkey_kind"),
                Arguments.of("authors", Filter.builder().authors(A, B).limit(20).build(), 2, "USING INDEX events_pubkey "),
                Arguments.of("kinds", Filter.builder().kinds(1, 6, 7).limit(50).build(), 3, "USING INDEX events_kind"),
                Arguments.of("#e values", Filter.builder().tag('e', A, B).limit(20).build(), 2,
                        "USING COVERING INDEX event_tags_lookup"),
                Arguments.of("#p values kinds", Filter.builder().tag('p', A, B).kinds(1, 7).build(), 2,
                        "USING COVERING INDEX event_tags_lookup"));
    }

    /**
     * NIP-01 filters with several authors, kinds or tag values run as one statement per value
     * (author and kind pair), each reading its index in NIP-01 order and stopping at the limit:
     * no statement sorts the whole match (no "TEMP B-TREE FOR ORDER BY"), every one uses the index.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("severalValues")
    void nip01SeveralValuesRunAsOneStreamingIndexRangePerValue(String name, Filter f, int pieces, String expected)
            throws Exception {
        for (FilterPlan plan : List.of(FilterPlan.of(f), FilterPlan.of(f, RESTRICTED))) {
            List<FilterPlan> split = plan.split(SqliteFilterSql.MAX_PIECES);
            assertEquals(pieces, split.size(), name);
            for (FilterPlan piece : split) {
                List<String> lines = plan(SqliteFilterSql.select(piece, 1000, 20));
                assertTrue(lines.stream().anyMatch(l -> l.contains(expected)), name + ": " + lines);
                assertFalse(lines.stream().anyMatch(l -> l.contains("TEMP B-TREE FOR ORDER BY")),
                        name + " should stream in index order: " + lines);
                for (String l : lines) {
                    boolean access = l.startsWith("SCAN ") || l.startsWith("SEARCH ");
                    assertFalse(access && !l.contains(" USING "), name + " reads a table without an index: " + lines);
                }
            }
        }
    }

    /** Above the piece limit a filter stays one statement (which sorts), rather than hundreds. */
    @org.junit.jupiter.api.Test
    void nip01FollowListLongerThanThePieceLimitRunsAsOneStatement() {
        List<String> authors = new ArrayList<>();
        for (int i = 0; i < SqliteFilterSql.MAX_PIECES + 1; i++) {
            authors.add(String.format("%064x", i));
        }
        FilterPlan plan = FilterPlan.of(Filter.builder().authors(authors).kinds(1).build());
        assertEquals(List.of(plan), plan.split(SqliteFilterSql.MAX_PIECES));
        FilterPlan two = FilterPlan.of(Filter.builder().authors(authors.subList(0, 32)).kinds(1, 7).build());
        assertEquals(64, two.split(SqliteFilterSql.MAX_PIECES).size());
    }

    /** Unauthenticated kind 4 hidden, gift wraps only to A. */
    static final nostr.relay.store.Visibility RESTRICTED =
            new nostr.relay.store.Visibility(java.util.Set.of(4), java.util.Set.of(1059), java.util.Set.of(A));

    private void check(String name, Filter f, String expected, FilterPlan plan) throws Exception {
        List<String> select = plan(SqliteFilterSql.select(plan, 1000, 500));
        List<String> count = plan(SqliteFilterSql.seqs(plan, 1000));
        for (List<String> lines : List.of(select, count)) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(expected)), name + ": " + lines);
            for (String l : lines) {
                boolean access = l.startsWith("SCAN ") || l.startsWith("SEARCH ");
                assertFalse(access && !l.contains(" USING ") && !l.contains("VIRTUAL TABLE INDEX"),
                        name + " reads a table without an index: " + lines);
            }
        }
        if (plan.driver() != FilterPlan.Driver.SEARCH && plan.rowsPerEvent() == 1 && f.kinds() != null && f.kinds().size() == 1
                && f.ids() == null) {
            assertFalse(select.stream().anyMatch(l -> l.contains("TEMP B-TREE FOR ORDER BY")),
                    name + " should stream in index order: " + select);
        }
    }

    private List<String> plan(SqlBuilder sql) throws Exception {
        return storage.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql.text())) {
                SqlBuilder.bind(ps, sql.params(), 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString("detail"));
                    }
                }
            }
            return out;
        });
    }
}
