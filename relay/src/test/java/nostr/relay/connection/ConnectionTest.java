package nostr.relay.connection;

import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.core.message.RelayMessage;
import nostr.relay.config.Limits;
import nostr.relay.config.Tuning;
import nostr.relay.store.sqlite.SqliteOptions;
import nostr.relay.store.sqlite.SqliteStorage;
import nostr.relay.testing.PausingStore;
import nostr.relay.testing.TestPipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection and pipeline without a socket (frames in, frames out), on SQLite: the NIP-01
 * REQ hand-over from stored to live events under staged races, per-connection limits, slow
 * consumers, unsupported verbs and storage failure.
 */
class ConnectionTest {
    @TempDir
    Path dir;

    private SqliteStorage storage;
    private PausingStore store;
    private final SecretKey alice = SecretKey.generate();
    private final long now = System.currentTimeMillis() / 1000;
    private final List<TestPipeline> pipelines = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        storage = SqliteStorage.open(dir, SqliteOptions.defaults());
        store = new PausingStore(storage.events());
    }

    @AfterEach
    void close() {
        pipelines.forEach(TestPipeline::close);
        storage.close();
    }

    private TestPipeline pipeline(Limits limits, Tuning tuning) {
        TestPipeline p = new TestPipeline(store, limits, tuning);
        pipelines.add(p);
        return p;
    }

    private TestPipeline pipeline() {
        return pipeline(Limits.defaults(), Tuning.defaults());
    }

    private Filter mine() {
        return Filter.builder().authors(alice.publicKey().hex()).build();
    }

    /** Publishes a marker event and waits until {@code sub} got it: everything fanned out before has arrived. */
    private static void barrier(TestPipeline relay, TestPipeline.Client reader, String sub, SecretKey key, long at) {
        Event marker = event(key, 1, at, "barrier " + System.nanoTime());
        assertTrue(relay.connect().publish(marker).accepted());
        reader.log().awaitEvent(sub, marker.id());
    }

    // ---- the hand-over from stored to live events ---------------------------------------------

    @Test
    void nip01EventCommittedWhileTheStoredQueryWaitsIsSentOnce() throws Exception {
        TestPipeline relay = pipeline();
        var reader = relay.connect();
        store.pauseAtStart();
        reader.req("s", mine());
        store.awaitPaused();
        Event e = event(alice, 1, now - 1, "during the query");
        assertTrue(relay.connect().publish(e).accepted());
        store.release();
        assertEquals(List.of(e.id()), reader.log().awaitEose("s"));
        barrier(relay, reader, "s", alice, now);
        assertEquals(1, reader.log().eventIds("s").stream().filter(e.id()::equals).count());
    }

    @Test
    void nip01EventCommittedAfterTheStoredQueryIsSentOnceAfterEose() throws Exception {
        TestPipeline relay = pipeline();
        var reader = relay.connect();
        store.pauseAtEnd();
        reader.req("s", mine());
        store.awaitPaused();
        Event e = event(alice, 1, now - 1, "after the query");
        assertTrue(relay.connect().publish(e).accepted());
        store.release();
        assertEquals(List.of(), reader.log().awaitEose("s"));
        reader.log().awaitEvent("s", e.id());
        barrier(relay, reader, "s", alice, now);
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
        assertEquals(1, reader.log().eventIds("s").stream().filter(e.id()::equals).count());
    }

    @Test
    void nip01EventSeenByTheQueryBeforeItsFanOutIsNotSentAgainLive() throws Exception {
        TestPipeline relay = pipeline();
        var reader = relay.connect();
        store.pauseAtStart();
        reader.req("s", mine());
        store.awaitPaused();
        relay.holdFanOut();
        Event e = event(alice, 1, now - 1, "committed, fan-out held");
        assertTrue(relay.connect().publish(e).accepted());
        store.release();
        // The query saw it and the subscription went live before fan-out got to it.
        assertEquals(List.of(e.id()), reader.log().awaitEose("s"));
        relay.openFanOut();
        barrier(relay, reader, "s", alice, now);
        assertEquals(1, reader.log().eventIds("s").stream().filter(e.id()::equals).count());
    }

    @Test
    void nip01OldEventLeftOutByLimitIsNotSentLiveWhenItsFanOutComesLate() {
        TestPipeline relay = pipeline();
        var publisher = relay.connect();
        Event newer = event(alice, 1, now - 1, "newer");
        assertTrue(publisher.publish(newer).accepted());
        relay.holdFanOut();
        Event older = event(alice, 1, now - 100, "older, fan-out held");
        assertTrue(publisher.publish(older).accepted());
        var reader = relay.connect();
        Filter limitOne = Filter.builder().authors(alice.publicKey().hex()).limit(1).build();
        assertEquals(List.of(newer.id()), reader.query("s", limitOne));
        relay.openFanOut();
        barrier(relay, reader, "s", alice, now);
        assertFalse(reader.log().eventIds("s").contains(older.id()), reader.log().all().toString());
    }

    // ---- limits and unsupported verbs --------------------------------------------------------

    @Test
    void nip01EventsBeyondTheRateLimitAreAnsweredRateLimited() {
        Limits base = Limits.defaults();
        Limits oneBurst = new Limits(base.maxMessageLength(), base.maxSubscriptions(), base.maxFilters(), base.maxLimit(),
                base.defaultLimit(), base.maxSubidLength(), base.maxEventTags(), base.maxContentLength(),
                base.maxReqEvents(), 0, 0, 1, 2);
        var c = pipeline(oneBurst, Tuning.defaults()).connect();
        assertTrue(c.publish(event(alice, 1, now, "1")).accepted());
        assertTrue(c.publish(event(alice, 1, now, "2")).accepted());
        RelayMessage.Ok third = c.publish(event(alice, 1, now, "3"));
        assertFalse(third.accepted());
        assertEquals("rate-limited", third.prefix(), third.message());
    }

    @Test
    void nip01UnsupportedVerbsGetAnAnswerWithAPrefix() {
        var c = pipeline().connect();
        c.send("[\"NEG-OPEN\",\"neg\",{},\"6100\"]");
        RelayMessage.NegErr err = c.log().awaitFirst("NEG-ERR", RelayMessage.NegErr.class, m -> m.subscriptionId().equals("neg"));
        assertTrue(err.reason().startsWith("unsupported:"));
        c.connection().onBinary();
        c.log().awaitNotice("binary");
        c.connection().onInvalidUtf8();
        c.log().awaitNotice("UTF-8");
        assertTrue(c.publish(event(alice, 1, now, "still here")).accepted());
    }

    @Test
    void closingAConnectionRemovesItsSubscriptionsFromTheIndex() {
        TestPipeline relay = pipeline();
        var c = relay.connect();
        c.query("a", mine());
        c.query("b", Filter.builder().kinds(1).build());
        assertEquals(2, relay.index.size());
        c.connection().onClosed();
        assertEquals(0, relay.index.size());
        assertTrue(c.connection().outbound().isClosed());
    }

    // ---- slow consumers ----------------------------------------------------------------------

    @Test
    void slowConsumerIsClosedWithAReasonWhileOthersKeepReceiving() throws Exception {
        Tuning t = Tuning.defaults();
        Tuning small = new Tuning(t.verifyThreads(), t.writerQueue(), t.writerBatch(), t.maxConcurrentQueries(),
                t.queryTimeBudget(), 4096, t.maxInflightEvents(), t.idleTimeout(), t.pingInterval());
        TestPipeline relay = pipeline(Limits.defaults(), small);
        var slow = relay.connect();
        var healthy = relay.connect();
        slow.query("s", mine());
        healthy.query("h", mine());
        slow.log().stall();
        var publisher = relay.connect();
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Event e = event(alice, 1, now, "event number " + i + " ".repeat(200));
            sent.add(e);
            assertTrue(publisher.publish(e).accepted());
        }
        healthy.log().awaitEvent("h", sent.getLast().id());
        assertEquals(sent.stream().map(Event::id).toList(), healthy.log().eventIds("h"));
        assertEquals(OutboundQueue.SLOW_CONSUMER_CLOSE_CODE, slow.log().closeCode());
        assertTrue(slow.log().closeReason().startsWith("slow consumer"), slow.log().closeReason());
        assertTrue(slow.connection().isClosed());
        assertTrue(slow.log().eventIds("s").size() < sent.size());
        assertEquals(1, relay.index.size());
        ByteArrayOutputStream metrics = new ByteArrayOutputStream();
        relay.metrics.writeText(metrics);
        assertTrue(metrics.toString(StandardCharsets.UTF_8).contains("parrhesia_slow_consumer_closes_total 1.0"));
    }

    @Test
    void nip01StoredPhaseWaitsForASlowReaderInsteadOfClosingIt() throws Exception {
        Tuning t = Tuning.defaults();
        Tuning small = new Tuning(t.verifyThreads(), t.writerQueue(), t.writerBatch(), t.maxConcurrentQueries(),
                Duration.ofSeconds(30), 8192, t.maxInflightEvents(), t.idleTimeout(), t.pingInterval());
        TestPipeline relay = pipeline(Limits.defaults(), small);
        var publisher = relay.connect();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Event e = event(alice, 1, now - i, "stored " + i + " ".repeat(200));
            events.add(e);
            assertTrue(publisher.publish(e).accepted());
        }
        var reader = relay.connect();
        reader.log().stall();
        reader.req("s", mine());
        reader.log().await("some events", ms -> ms.size() >= 5);
        reader.log().resume();
        assertEquals(nostr.relay.store.TestEvents.nip01Order(events), reader.log().awaitEose("s"));
        assertFalse(reader.connection().isClosed());
    }

    @Test
    void nip01StoredPhaseOverItsTimeBudgetIsClosedWithError() {
        Tuning t = Tuning.defaults();
        Tuning tight = new Tuning(t.verifyThreads(), t.writerQueue(), t.writerBatch(), t.maxConcurrentQueries(),
                Duration.ofMillis(300), 8192, t.maxInflightEvents(), t.idleTimeout(), t.pingInterval());
        TestPipeline relay = pipeline(Limits.defaults(), tight);
        var publisher = relay.connect();
        for (int i = 0; i < 60; i++) {
            assertTrue(publisher.publish(event(alice, 1, now - i, "stored " + i + " ".repeat(200))).accepted());
        }
        var reader = relay.connect();
        reader.log().stall();
        reader.req("s", mine());
        String closed = reader.log().awaitClosed("s");
        assertTrue(closed.startsWith("error:") && closed.contains("300 ms"), closed);
        assertEquals(0, reader.log().count(m -> m instanceof RelayMessage.Eose), reader.log().all().toString());
        assertEquals(0, reader.connection().subscriptionCount());
    }

    // ---- storage failure ---------------------------------------------------------------------

    @Test
    void nip01StorageFailureIsAnsweredErrorAndTheConnectionSurvives() {
        TestPipeline relay = pipeline();
        var c = relay.connect();
        assertTrue(c.publish(event(alice, 1, now, "before")).accepted());
        storage.close();
        RelayMessage.Ok ok = c.publish(event(alice, 1, now, "after the store closed"));
        assertFalse(ok.accepted());
        assertEquals("error", ok.prefix(), ok.message());
        c.req("s", mine());
        assertTrue(c.log().awaitClosed("s").startsWith("error:"));
        assertFalse(c.connection().isClosed());
    }
}
