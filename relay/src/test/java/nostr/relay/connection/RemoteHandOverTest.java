package nostr.relay.connection;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.relay.store.WriteStatus;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import nostr.relay.testing.PausingStore;
import nostr.relay.testing.TestPipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIP-01 REQ hand-over from stored to live events for events another cluster node stored
 * (relay/README.md "Cluster"), under staged races, without NATS: "another node" commits straight
 * into the store and its event then reaches this pipeline's fan-out as the remote feed would hand
 * it over ({@code FanOut.remote}), after the commit. Each event must reach the subscription exactly
 * once: in the stored phase or live after EOSE.
 */
class RemoteHandOverTest {
    @TempDir
    Path dir;

    private SqliteStorage storage;
    private PausingStore store;
    private TestPipeline relay;
    private final SecretKey alice = SecretKey.generate();
    private final long now = System.currentTimeMillis() / 1000;

    @BeforeEach
    void open() throws Exception {
        storage = SqliteStorage.open(dir, SqliteOptions.defaults());
        store = new PausingStore(storage.events());
        relay = new TestPipeline(store);
        relay.remoteGeneration.set(1);
    }

    @AfterEach
    void close() {
        relay.close();
        storage.close();
    }

    private Filter mine() {
        return Filter.builder().authors(alice.publicKey().hex()).build();
    }

    /** Another node stores {@code e}: committed, not yet received here. */
    private void committedElsewhere(Event e) throws Exception {
        assertEquals(List.of(WriteStatus.STORED), storage.events().write(List.of(e)));
    }

    /** The remote feed hands {@code e} to fan-out (its NATS message arrived). */
    private void received(Event e) throws Exception {
        relay.fanOut.remote(List.of(e));
    }

    /** A local event through the same fan-out queue: once the reader has it, everything queued before has been delivered. */
    private void barrier(TestPipeline.Client reader) {
        Event marker = event(alice, 1, now, "barrier " + System.nanoTime());
        assertTrue(relay.connect().publish(marker).accepted());
        reader.log().awaitEvent("s", marker.id());
    }

    private static long count(TestPipeline.Client reader, Event e) {
        return reader.log().eventIds("s").stream().filter(e.id()::equals).count();
    }

    @Test
    void nip01RemoteEventCommittedWhileTheStoredQueryWaitsIsSentOnce() throws Exception {
        var reader = relay.connect();
        store.pauseAtStart();
        reader.req("s", mine());
        store.awaitPaused();
        Event e = event(alice, 1, now - 1, "committed on another node during the query");
        committedElsewhere(e);
        received(e);
        store.release();
        assertEquals(List.of(e.id()), reader.log().awaitEose("s"));
        barrier(reader);
        assertEquals(1, count(reader, e));
    }

    @Test
    void nip01RemoteEventCommittedAfterTheStoredQueryIsSentOnceAfterEose() throws Exception {
        var reader = relay.connect();
        store.pauseAtEnd();
        reader.req("s", mine());
        store.awaitPaused();
        Event e = event(alice, 1, now - 1, "committed on another node after the query");
        committedElsewhere(e);
        received(e);
        store.release();
        assertEquals(List.of(), reader.log().awaitEose("s"));
        reader.log().awaitEvent("s", e.id());
        barrier(reader);
        assertEquals(1, count(reader, e));
        List<RelayMessage> msgs = reader.log().parsed();
        int eose = -1;
        int event = -1;
        for (int i = 0; i < msgs.size(); i++) {
            if (msgs.get(i) instanceof RelayMessage.Eose) {
                eose = i;
            }
            if (msgs.get(i) instanceof RelayMessage.EventMsg m && m.event().id().equals(e.id())) {
                event = i;
            }
        }
        assertTrue(eose >= 0 && eose < event, "EOSE first: " + msgs);
    }

    @Test
    void nip01RemoteEventWhoseMessageComesAfterEoseIsNotSentAgainLive() throws Exception {
        Event e = event(alice, 1, now - 1, "committed on another node, message delayed");
        committedElsewhere(e);
        var reader = relay.connect();
        assertEquals(List.of(e.id()), reader.query("s", mine()));
        // The feed's generation 1 is not settled: the late copy is recognised as the stored phase's.
        received(e);
        Event fresh = event(alice, 1, now - 1, "a new remote event");
        committedElsewhere(fresh);
        received(fresh);
        reader.log().awaitEvent("s", fresh.id());
        barrier(reader);
        assertEquals(1, count(reader, e));
        assertEquals(1, count(reader, fresh));
    }

    @Test
    void nip01RemoteEventReceivedBeforeTheReqIsServedByTheStoredPhaseOnly() throws Exception {
        Event e = event(alice, 1, now - 1, "committed and received before the REQ");
        committedElsewhere(e);
        received(e);
        var reader = relay.connect();
        assertEquals(List.of(e.id()), reader.query("s", mine()));
        barrier(reader);
        assertEquals(1, count(reader, e));
    }

    @Test
    void nip01RemoteEventsInterleavedWithLocalOnesAllArriveOnceInBothOrders() throws Exception {
        var reader = relay.connect();
        store.pauseAtStart();
        reader.req("s", mine());
        store.awaitPaused();
        Event remoteBefore = event(alice, 1, now - 3, "remote, during the query");
        committedElsewhere(remoteBefore);
        received(remoteBefore);
        Event local = event(alice, 1, now - 2, "local, during the query");
        assertTrue(relay.connect().publish(local).accepted());
        store.release();
        List<String> stored = reader.log().awaitEose("s");
        assertEquals(List.of(local.id(), remoteBefore.id()), stored);
        Event remoteAfter = event(alice, 1, now - 1, "remote, after EOSE");
        committedElsewhere(remoteAfter);
        received(remoteAfter);
        barrier(reader);
        for (Event e : List.of(remoteBefore, local, remoteAfter)) {
            assertEquals(1, count(reader, e), e.content());
        }
    }
}
