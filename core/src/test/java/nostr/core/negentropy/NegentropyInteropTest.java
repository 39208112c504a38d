package nostr.core.negentropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NIP-77 / negentropy protocol v1 against the reference JavaScript implementation (hoytech's
 * js/Negentropy.js as shipped in the npm package @welshman/net, wrapped by
 * interop/negentropy-harness.mjs), driven as the reference project's tests drive implementations
 * (test/fuzz.pl, test/test.pl, test/protoversion.pl; summarised in specs/negentropy/NOTES.md):
 * set convergence with each implementation as client and as server, frame size limits, byte-identical
 * message traces for the same seeded inputs (the delta test), and the protocol-version fallback.
 */
class NegentropyInteropTest {

    /** One driver configuration: item sets and the two sides' frame size limits. */
    record Case(String name, ItemSets sets, long clientLimit, long serverLimit) {
        boolean unlimited() {
            return clientLimit == 0 && serverLimit == 0;
        }

        @Override
        public String toString() {
            return name + " (" + sets.side1().size() + " vs " + sets.side2().size() + " items, limits "
                    + clientLimit + "/" + serverLimit + ")";
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("both empty", ItemSets.random(1, 0, 1, 1, 1), 0, 0),
                new Case("client empty", ItemSets.random(2, 3_000, 0, 1, 0), 0, 0),
                new Case("server empty", ItemSets.random(3, 3_000, 1, 0, 0), 0, 0),
                new Case("identical sets", ItemSets.random(4, 10_000, 0, 0, 1), 0, 0),
                new Case("mixed 2/2/7", ItemSets.random(5, 10_000, 2, 2, 7), 0, 0),
                new Case("tiny 1/1/1", ItemSets.random(6, 40, 1, 1, 1), 0, 0),
                new Case("limits 30000/60000, 1/1/10", ItemSets.random(7, 20_000, 1, 1, 10), 30_000, 60_000),
                new Case("limits 4096/4096, 1/1/3", ItemSets.random(8, 5_000, 1, 1, 3), 4096, 4096),
                new Case("limit on server only, server-only items", ItemSets.random(9, 4_000, 0, 1, 1), 0, 4096),
                new Case("clustered, limits 50000/50000, 1/1/1", ItemSets.clustered(10, 600, 50, 1, 1, 1), 50_000, 50_000),
                new Case("clustered, unlimited", ItemSets.clustered(11, 600, 50, 1, 1, 98), 0, 0),
                new Case("100k, limits 60000/500000, 1/1/10", ItemSets.random(12, 100_000, 1, 1, 10), 60_000, 500_000))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nip77ReconcilesWithReferenceImplementationInEveryRoleWithIdenticalTraces(Case c) {
        Map<String, ReconcileDriver.Run> runs = new LinkedHashMap<>();
        runs.put("java/java", run(c, HarnessPeer::java, HarnessPeer::java));
        runs.put("java client/js server", run(c, HarnessPeer::java, HarnessPeer::javascript));
        runs.put("js client/java server", run(c, HarnessPeer::javascript, HarnessPeer::java));
        runs.put("js/js", run(c, HarnessPeer::javascript, HarnessPeer::javascript));

        Set<String> side1 = ids(c.sets().side1());
        Set<String> side2 = ids(c.sets().side2());
        Set<String> onlyOn1 = new HashSet<>(side1);
        onlyOn1.removeAll(side2);
        Set<String> onlyOn2 = new HashSet<>(side2);
        onlyOn2.removeAll(side1);
        Set<String> union = new HashSet<>(side1);
        union.addAll(side2);

        ReconcileDriver.Run reference = runs.get("js/js");
        for (var e : runs.entrySet()) {
            String what = c + ", " + e.getKey();
            ReconcileDriver.Run r = e.getValue();
            assertEquals(union, r.finalSet1(), what + ": client set did not converge");
            assertEquals(union, r.finalSet2(), what + ": server set did not converge");
            assertEquals(onlyOn1, new HashSet<>(r.haves()), what + ": have ids are not exactly the client-only ids");
            assertEquals(onlyOn2, new HashSet<>(r.needs()), what + ": need ids are not exactly the server-only ids");
            if (c.unlimited()) {
                assertEquals(onlyOn1.size(), r.haves().size(), what + ": an id was reported as have twice");
                assertEquals(onlyOn2.size(), r.needs().size(), what + ": an id was reported as need twice");
            }
            // Delta test: same inputs, same bytes, whoever speaks.
            assertTraceEquals(reference.trace(), r.trace(), what);
            assertEquals(reference.haves(), r.haves(), what + ": have ids differ from the reference");
            assertEquals(reference.needs(), r.needs(), what + ": need ids differ from the reference");
        }
        assertTrue(reference.trace().size() >= 2, c + ": no messages were exchanged");
    }

    @Test
    void nip77ReferenceServerFallsBackToVersionOneForUnknownVersion() {
        assertVersionFallback(HarnessPeer::javascript);
    }

    @Test
    void nip77OurHarnessProcessFallsBackToVersionOneForUnknownVersion() {
        assertVersionFallback(HarnessPeer::javaProcess);
    }

    // test/protoversion.pl: v1 query answered; v2 query answered "61" only; v1 again still works.
    private static void assertVersionFallback(LongFunction<HarnessPeer> factory) {
        String item = "item,12345," + "ee".repeat(32);
        // Hand-derived from the protocol text: bound infinity (00), prefix length 0 (00), mode id list
        // (02), one id (01), the id.
        String expected = "msg,6100000201" + "ee".repeat(32);
        try (HarnessPeer server = factory.apply(0)) {
            server.send(item);
            server.send("seal");
            server.send("msg,6100000200");
            assertEquals(expected, server.readLine(), server.name() + ": v1 answer");
        }
        try (HarnessPeer server = factory.apply(0)) {
            server.send(item);
            server.send("seal");
            server.send("msg,62aabbccddeeff");
            assertEquals("msg,61", server.readLine(), server.name() + ": answer to an unknown version");
            server.send("msg,6100000200");
            assertEquals(expected, server.readLine(), server.name() + ": v1 after the fallback");
        }
    }

    private static ReconcileDriver.Run run(Case c, LongFunction<HarnessPeer> clientFactory, LongFunction<HarnessPeer> serverFactory) {
        try (HarnessPeer client = clientFactory.apply(c.clientLimit()); HarnessPeer server = serverFactory.apply(c.serverLimit())) {
            return ReconcileDriver.run(client, server, c.sets(), c.clientLimit(), c.serverLimit());
        }
    }

    private static Set<String> ids(List<ItemSets.Item> items) {
        Set<String> s = new HashSet<>();
        for (ItemSets.Item i : items) {
            s.add(i.id());
        }
        return s;
    }

    private static void assertTraceEquals(List<String> expected, List<String> actual, String what) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError(what + ": message " + i + " differs from the reference\nexpected: "
                        + abbreviate(expected.get(i)) + "\nactual:   " + abbreviate(actual.get(i)));
            }
        }
        assertEquals(expected.size(), actual.size(), what + ": number of messages differs from the reference");
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "... (" + s.length() / 2 + " bytes)";
    }
}
