package nostr.relay.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import nostr.core.filter.Filter;
import nostr.relay.config.Limits;
import nostr.relay.store.Query;
import org.junit.jupiter.api.Test;

/** NIP-01 limit handling when filters become a storage query (NIP-11 max_limit, default_limit). */
class QueryCompilerTest {
    private static final Limits LIMITS = new Limits(1 << 16, 10, 10, 100, 20, 64, 100, 1000, 150, 0, 0, 0, 0);
    private static final String ID = "a".repeat(64);
    private static final String ID2 = "b".repeat(64);

    private static Query compile(Filter... filters) {
        return QueryCompiler.compile(List.of(filters), LIMITS, 1000);
    }

    @Test
    void nip11LimitsAreClampedToMaxLimitAndDefaulted() {
        Query q = compile(Filter.builder().kinds(1).limit(5).build(), Filter.builder().kinds(2).limit(5000).build(),
                Filter.builder().kinds(3).build());
        assertEquals(List.of(5, 100, 20), q.parts().stream().map(Query.Part::limit).toList());
        assertEquals(125, q.totalLimit());
        assertEquals(1000, q.nowSeconds());
    }

    @Test
    void nip01IdsWithoutALimitAskForAllOfThem() {
        assertEquals(2, compile(Filter.builder().ids(ID, ID2).build()).parts().getFirst().limit());
        assertEquals(1, compile(Filter.builder().ids(ID, ID2).limit(1).build()).parts().getFirst().limit());
    }

    @Test
    void nip01LimitZeroAndImpossibleFiltersAreLeftOut() {
        assertNull(compile(Filter.builder().kinds(1).limit(0).build()));
        assertNull(compile(Filter.builder().authors(List.of()).build()));
        assertNull(compile(Filter.builder().tag('e', List.of()).build()));
        assertNull(compile(Filter.builder().since(10).until(5).build()));
        Query q = compile(Filter.builder().kinds(1).limit(0).build(), Filter.builder().kinds(7).build());
        assertEquals(1, q.parts().size());
        assertEquals(Filter.builder().kinds(7).build(), q.parts().getFirst().filter());
    }

    @Test
    void theWholeReqIsCappedAtMaxReqEvents() {
        Query q = compile(Filter.builder().kinds(1).limit(100).build(), Filter.builder().kinds(2).limit(100).build());
        assertEquals(LIMITS.maxReqEvents(), q.totalLimit());
    }
}
