package nostr.relay.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import nostr.core.Hex;
import nostr.core.client.ClientOptions;
import nostr.core.client.ReconcileResult;
import nostr.core.client.RelayClient;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.negentropy.Negentropy;
import nostr.core.negentropy.NegentropyArrayStorage;
import nostr.relay.negentropy.NegentropyIndex;
import nostr.relay.store.Storage;
import nostr.relay.testing.LiveRelayContract;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cross-implementation proof of NIP-77: for random sets, our client ({@link RelayClient#reconcile})
 * against our relay, and our client's engine against the reference JavaScript implementation acting
 * as the server (interop/negentropy-harness.mjs), holding the same events, must both report exactly
 * the set differences, and therefore the same have/need ids. Sizes 0 to 100,000 events, overlaps 0
 * to 100%, frame size limits on the client side, filters served by the relay's whole-store index
 * (time window) and by a store scan (author).
 */
class Nip77CrossImplementationTest extends LiveRelayContract {

    @Override
    protected Storage openStorage(Path dir) throws Exception {
        return TestStores.sqlite(dir);
    }

    @ParameterizedTest(name = "relay {0} events, {1}% also local, {2} only local, clustered {3}, client limit {4}, {5}")
    @CsvSource({
            "0, 0, 0, false, 0, window",
            "0, 0, 500, false, 4096, author",
            "1, 100, 0, false, 0, author",
            "50, 100, 0, false, 0, window",
            "1000, 0, 300, false, 0, author",
            "3000, 90, 100, true, 4096, window",
            "10000, 50, 2000, false, 60000, author",
            "100000, 99, 500, false, 0, window",
    })
    void nip77OurClientGetsTheSameAnswerFromOurRelayAndFromTheReference(int relaySize, int overlapPercent, int onlyLocal,
                                                                        boolean clustered, long clientLimit, String served)
            throws Exception {
        SplittableRandom r = new SplittableRandom(relaySize * 31L + overlapPercent * 7L + onlyLocal);
        SecretKey author = SecretKey.generate();
        // Each case owns a time window far from the others'.
        long base = now() - 10_000_000L - relaySize * 10L - onlyLocal;
        int spread = clustered ? Math.max(1, relaySize / 200) : Math.max(1, relaySize);
        List<Event> relayEvents = new ArrayList<>(relaySize);
        for (int i = 0; i < relaySize; i++) {
            relayEvents.add(new EventTemplate(base + r.nextInt(spread), 1, List.of(), "x" + i).sign(author));
        }
        for (int from = 0; from < relayEvents.size(); from += 2000) {
            storage.events().write(relayEvents.subList(from, Math.min(relayEvents.size(), from + 2000)));
        }

        TreeSet<String> expectedNeed = new TreeSet<>();
        TreeSet<String> expectedHave = new TreeSet<>();
        NegentropyArrayStorage.Builder local = NegentropyArrayStorage.builder();
        for (Event e : relayEvents) {
            if (r.nextInt(100) < overlapPercent) {
                local.add(e.createdAt(), e.id());
            } else {
                expectedNeed.add(e.id());
            }
        }
        byte[] id = new byte[32];
        for (int i = 0; i < onlyLocal; i++) {
            r.nextBytes(id);
            local.add(base + r.nextInt(spread), id);
            expectedHave.add(Hex.encode(id));
        }
        NegentropyArrayStorage mine = local.seal();

        Filter filter = served.equals("window")
                ? Filter.builder().since(base).until(base + spread).build()
                : Filter.builder().authors(author.publicKey().hex()).build();
        if (served.equals("window")) {
            MessageLog.until("index ready", () -> relay.negentropy().index().state() == NegentropyIndex.State.READY);
        }

        // Our client against our relay.
        ReconcileResult fromRelay;
        try (RelayClient c = RelayClient.connect(relay.url(), ClientOptions.defaults())) {
            fromRelay = c.reconcile(filter, mine, clientLimit).get(120, TimeUnit.SECONDS);
        }

        // Our client's engine against the reference implementation holding the relay's events.
        List<String> refHave = new ArrayList<>();
        List<String> refNeed = new ArrayList<>();
        int rounds = 0;
        try (ReferenceNegentropyServer ref = ReferenceNegentropyServer.start(relay.negentropy().config().frameSizeLimit())) {
            for (Event e : relayEvents) {
                ref.item(e.createdAt(), e.id());
            }
            ref.seal();
            Negentropy client = new Negentropy(mine, clientLimit);
            String msg = client.initiateHex();
            while (msg != null) {
                rounds++;
                msg = client.reconcile(ref.reconcile(msg), refHave, refNeed);
            }
        }

        assertEquals(expectedNeed, new TreeSet<>(fromRelay.need()), "our relay: need");
        assertEquals(expectedHave, new TreeSet<>(fromRelay.have()), "our relay: have");
        assertEquals(expectedNeed, new TreeSet<>(refNeed), "reference: need");
        assertEquals(expectedHave, new TreeSet<>(refHave), "reference: have");
        assertEquals(fromRelay.need().size(), new TreeSet<>(fromRelay.need()).size(), "each id once");
        assertTrue(rounds >= 1 && fromRelay.rounds() >= 1);
        System.err.printf("nip77 cross-implementation: %d relay events, %d%% overlap, %d only local: relay %d rounds, "
                + "reference %d rounds, %d need, %d have%n", relaySize, overlapPercent, onlyLocal, fromRelay.rounds(), rounds,
                expectedNeed.size(), expectedHave.size());
    }
}
