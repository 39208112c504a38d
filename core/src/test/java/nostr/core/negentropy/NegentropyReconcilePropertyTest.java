package nostr.core.negentropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import nostr.core.Hex;

/**
 * Negentropy protocol v1 (NIP-77 "High-Level Protocol Description"): for any two sets and any
 * frame size limits, the client learns exactly the ids only it has and the ids only the server has,
 * every message respects its sender's limit, the exchange terminates, and it is deterministic.
 */
class NegentropyReconcilePropertyTest {
    private static final long[] LIMITS = {0, 4096, 10_000};

    record Outcome(List<String> trace, Set<String> have, Set<String> need, int haveReports, int needReports) {}

    @Property(tries = 150)
    void nip77ReconciliationFindsExactlyTheDifferences(@ForAll long seed, @ForAll @IntRange(max = 3000) int count,
            @ForAll @IntRange(max = 4) int p1, @ForAll @IntRange(max = 4) int p2, @ForAll @IntRange(min = 1, max = 20) int p3,
            @ForAll boolean clustered, @ForAll @IntRange(max = 2) int clientLimit, @ForAll @IntRange(max = 2) int serverLimit) {
        ItemSets sets = clustered ? ItemSets.clustered(seed, Math.max(1, count / 25), 50, p1, p2, p3)
                : ItemSets.random(seed, count, p1, p2, p3);
        NegentropyArrayStorage side1 = ItemSets.storage(sets.side1());
        NegentropyArrayStorage side2 = ItemSets.storage(sets.side2());
        long l1 = LIMITS[clientLimit];
        long l2 = LIMITS[serverLimit];

        Outcome first = reconcile(side1, side2, l1, l2);
        Set<String> ids1 = ids(sets.side1());
        Set<String> ids2 = ids(sets.side2());
        Set<String> only1 = new HashSet<>(ids1);
        only1.removeAll(ids2);
        Set<String> only2 = new HashSet<>(ids2);
        only2.removeAll(ids1);
        assertEquals(only1, first.have());
        assertEquals(only2, first.need());
        if (l1 == 0 && l2 == 0) {
            assertEquals(only1.size(), first.haveReports(), "no id reported twice without limits");
            assertEquals(only2.size(), first.needReports(), "no id reported twice without limits");
        }
        assertEquals(first.trace(), reconcile(side1, side2, l1, l2).trace(), "same inputs, same messages");
    }

    static Outcome reconcile(NegentropyStorage clientItems, NegentropyStorage serverItems, long clientLimit, long serverLimit) {
        Negentropy client = new Negentropy(clientItems, clientLimit);
        Negentropy server = new Negentropy(serverItems, serverLimit);
        List<String> trace = new ArrayList<>();
        Set<String> have = new HashSet<>();
        Set<String> need = new HashSet<>();
        int haveReports = 0;
        int needReports = 0;
        byte[] msg = client.initiate();
        for (int round = 0; msg != null; round++) {
            assertTrue(round < 1000, "no convergence");
            assertTrue(clientLimit == 0 || msg.length <= clientLimit, "client message over its limit");
            trace.add(Hex.encode(msg));
            byte[] reply = server.reconcile(msg);
            assertTrue(serverLimit == 0 || reply.length <= serverLimit, "server message over its limit");
            trace.add(Hex.encode(reply));
            List<byte[]> h = new ArrayList<>();
            List<byte[]> n = new ArrayList<>();
            msg = client.reconcile(reply, h, n);
            haveReports += h.size();
            needReports += n.size();
            h.forEach(id -> have.add(Hex.encode(id)));
            n.forEach(id -> need.add(Hex.encode(id)));
        }
        return new Outcome(trace, have, need, haveReports, needReports);
    }

    private static Set<String> ids(List<ItemSets.Item> items) {
        Set<String> s = new HashSet<>();
        items.forEach(i -> s.add(i.id()));
        return s;
    }
}
