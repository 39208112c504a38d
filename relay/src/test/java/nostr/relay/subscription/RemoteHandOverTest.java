package nostr.relay.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nostr.core.filter.Filter;
import org.junit.jupiter.api.Test;

/**
 * NIP-01 "stored events, EOSE, then new events in real time" for events other cluster nodes
 * stored (relay/README.md "Cluster"): the rules {@link Subscription} applies to remote events by
 * their arrival number and the remote feed's generations, driven directly, one rule per test.
 */
class RemoteHandOverTest {
    private final List<String> sent = new ArrayList<>();
    private final Outbox outbox = new Outbox() {
        @Override
        public boolean offer(byte[] message) {
            sent.add(new String(message, StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public boolean offerDeferred(byte[] message) {
            return offer(message);
        }

        @Override
        public void flush() {
        }

        @Override
        public boolean awaitRoom(long deadlineNanos) {
            return true;
        }
    };
    private final Subscription sub = new Subscription("s", List.of(Filter.builder().build()), outbox, (s, m) -> { });
    private static final long DEADLINE = Long.MAX_VALUE;

    private static String raw(String id) {
        return "{\"id\":\"" + id + "\"}";
    }

    private void remote(String id, long arrival, long settled) {
        sub.deliver(id, sub.frame(raw(id).getBytes(StandardCharsets.UTF_8)), -1, arrival, settled);
    }

    /** Event ids in the messages sent so far, with "EOSE" where it came. */
    private List<String> ids() {
        List<String> out = new ArrayList<>();
        for (String m : sent) {
            if (m.startsWith("[\"EOSE\"")) {
                out.add("EOSE");
            } else {
                int at = m.indexOf("{\"id\":\"");
                out.add(m.substring(at + 7, m.indexOf('"', at + 7)));
            }
        }
        return out;
    }

    @Test
    void nip01RemoteEventReceivedBeforeTheStoredQueryBeganIsTheQuerysAlone() throws Exception {
        sub.startStored(0, 5);
        // Arrival 4 was received (so committed) before the query: the query saw it, or left it out by limit.
        remote("a4", 4, -1);
        sub.sendStored("x", raw("x"), DEADLINE);
        sub.finishStored(0, 0, 7);
        remote("a5", 5, -1);
        assertEquals(List.of("x", "EOSE"), ids());
    }

    @Test
    void nip01RemoteEventArrivingWhileCatchingUpIsSentAfterEoseUnlessTheQuerySentIt() throws Exception {
        sub.startStored(0, 0);
        remote("seen", 1, -1);
        remote("new", 2, -1);
        sub.sendStored("seen", raw("seen"), DEADLINE);
        sub.finishStored(0, 0, 3);
        assertEquals(List.of("seen", "EOSE", "new"), ids());
    }

    @Test
    void nip01LateRemoteCopyOfAnEventTheQuerySentIsDroppedUntilTheGenerationSettles() throws Exception {
        sub.startStored(0, 0);
        sub.sendStored("seen", raw("seen"), DEADLINE);
        sub.finishStored(0, 0, 3);
        // Committed before the query, its message came after EOSE: not a new event.
        remote("seen", 1, 3);
        remote("other", 2, 3);
        assertEquals(List.of("seen", "EOSE", "other"), ids());
    }

    @Test
    void nip01AfterTheGenerationSettlesRemoteEventsAreNoLongerCheckedAgainstTheStoredPhase() throws Exception {
        sub.startStored(0, 0);
        sub.sendStored("seen", raw("seen"), DEADLINE);
        sub.finishStored(0, 0, 3);
        // Generation 4 began after the query ended and is settled: every event the query could
        // see was delivered before, so the ids are forgotten (the feed never hands an event twice).
        remote("later", 1, 4);
        remote("seen", 2, 4);
        assertEquals(List.of("seen", "EOSE", "later", "seen"), ids());
    }

    @Test
    void nip01OutsideAClusterRemoteDedupIsOffAndLocalRulesAreUnchanged() throws Exception {
        sub.startStored(10);
        sub.deliver("old", sub.frame(raw("old").getBytes(StandardCharsets.UTF_8)), 10);
        sub.sendStored("q", raw("q"), DEADLINE);
        sub.finishStored(12, 11);
        // Batch 12 may hold an event the query saw: checked; batch 13 is new and ends the check.
        sub.deliver("q", sub.frame(raw("q").getBytes(StandardCharsets.UTF_8)), 12);
        sub.deliver("n", sub.frame(raw("n").getBytes(StandardCharsets.UTF_8)), 13);
        sub.deliver("q", sub.frame(raw("q").getBytes(StandardCharsets.UTF_8)), 14);
        assertEquals(List.of("q", "EOSE", "n", "q"), ids());
    }

    @Test
    void nip01LocalAndRemoteChecksEndIndependently() throws Exception {
        sub.startStored(10, 0);
        sub.sendStored("q", raw("q"), DEADLINE);
        sub.finishStored(12, 11, 3);
        // A new local batch ends the local check, but the remote one goes on until generation 3 settles.
        sub.deliver("n", sub.frame(raw("n").getBytes(StandardCharsets.UTF_8)), 13);
        remote("q", 1, 3);
        remote("r", 2, 3);
        assertEquals(List.of("q", "EOSE", "n", "r"), ids());
    }

    @Test
    void nip01RemoteEphemeralEventsAreNeverCoveredOrChecked() throws Exception {
        sub.startStored(0, 5);
        sub.sendStored("q", raw("q"), DEADLINE);
        sub.finishStored(0, 0, 3);
        remote("eph", -1, -1);
        assertEquals(List.of("q", "EOSE", "eph"), ids());
    }
}
