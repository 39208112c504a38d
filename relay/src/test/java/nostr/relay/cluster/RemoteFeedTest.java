package nostr.relay.cluster;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import nostr.core.event.Event;
import nostr.core.filter.Filter;
import nostr.core.keys.SecretKey;
import nostr.relay.metrics.RelayMetrics;
import nostr.relay.store.CommitJournal;
import nostr.relay.store.EventStore;
import nostr.relay.store.StoreException;
import nostr.relay.store.postgres.EmbeddedPostgresServer;
import nostr.relay.store.postgres.PostgresOptions;
import nostr.relay.store.postgres.PostgresStorage;
import nostr.relay.subscription.FanOut;
import nostr.relay.subscription.Outbox;
import nostr.relay.subscription.Subscription;
import nostr.relay.subscription.SubscriptionIndex;
import nostr.relay.testing.MessageLog;
import nostr.relay.testing.MetricsText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote feed of a cluster node (relay/README.md "Cluster"; NIP-01 live delivery across
 * nodes), without NATS: messages are handed to it as the NATS dispatcher would, over a real
 * PostgreSQL commit journal written by "other nodes", into a real fan-out with one live
 * subscription that matches everything. Each other node's event must reach it exactly once, in
 * that node's commit order, whatever messages are lost, repeated or late.
 */
class RemoteFeedTest {
    static final String SCHEMA = "feed";

    private PostgresStorage storage;
    private FlakyJournal journal;
    private final RelayMetrics metrics = new RelayMetrics();
    private final SubscriptionIndex index = new SubscriptionIndex();
    private FanOut fanOut;
    private RemoteFeed feed;
    private final List<String> delivered = new ArrayList<>();
    /** What the feed told the negentropy index, by content. */
    private final List<String> indexed = new ArrayList<>();
    private final SecretKey alice = SecretKey.generate();
    private final long now = System.currentTimeMillis() / 1000;

    @BeforeEach
    void open() throws Exception {
        try (Connection c = DriverManager.getConnection(EmbeddedPostgresServer.shared().jdbcUrl(), "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        storage = PostgresStorage.open(PostgresOptions.of(EmbeddedPostgresServer.shared().jdbcUrl(), "postgres", "")
                .withSchema(SCHEMA));
        journal = new FlakyJournal(storage.journal().orElseThrow());
        fanOut = new FanOut(index, 64, n -> { });
        Subscription sub = new Subscription("s", List.of(Filter.builder().build()), new Outbox() {
            @Override
            public boolean offer(byte[] message) {
                String m = new String(message, StandardCharsets.UTF_8);
                if (!m.startsWith("[\"EVENT\"")) {
                    return true;
                }
                synchronized (delivered) {
                    delivered.add(m.substring(m.indexOf("\"content\":\"") + 11, m.indexOf('"', m.indexOf("\"content\":\"") + 11)));
                }
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
        }, (s, m) -> { });
        sub.startStored(0, 0);
        sub.finishStored(0, 0, -1);
        index.add(sub);
        feed = new RemoteFeed(journal, "self", fanOut, new ClusterMetrics(metrics.registry()), events -> {
            synchronized (indexed) {
                events.forEach(e -> indexed.add(e.content()));
            }
        });
    }

    @AfterEach
    void close() {
        fanOut.close();
        storage.close();
    }

    private List<String> delivered() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }

    private void awaitDelivered(List<String> expected) {
        MessageLog.until("deliveries " + expected, () -> delivered().size() >= expected.size());
        assertEquals(expected, delivered());
    }

    /** Node {@code origin} stores events with these contents, one transaction; returns their messages. */
    private List<ClusterMessage.Stored> storedBy(String origin, String... contents) throws Exception {
        List<CommitJournal.Entry> told = new ArrayList<>();
        EventStore store = journal.recording(origin, told::addAll);
        List<Event> events = new ArrayList<>();
        for (String c : contents) {
            events.add(event(alice, 1, now, c));
        }
        store.write(events);
        List<ClusterMessage.Stored> out = new ArrayList<>();
        for (CommitJournal.Entry e : told) {
            out.add(new ClusterMessage.Stored(origin, e.seq(), System.currentTimeMillis(), e.json()));
        }
        return out;
    }

    private double metric(String sample) {
        return MetricsText.value(metrics, sample);
    }

    @Test
    void messagesInOrderAreHandedOnOnceAndRepeatsAreDropped() throws Exception {
        feed.start();
        List<ClusterMessage.Stored> m = storedBy("a", "a1", "a2");
        assertTrue(feed.onStored(m.get(0)));
        assertTrue(feed.onStored(m.get(1)));
        assertFalse(feed.onStored(m.get(0)), "a repeat");
        awaitDelivered(List.of("a1", "a2"));
        assertEquals(1, metric("parrhesia_cluster_duplicates_total"));
        assertEquals(2, metric("parrhesia_cluster_events_received_total{via=\"nats\"}"));
    }

    @Test
    void aGapIsFilledFromTheJournalBeforeTheMessageThatRevealedIt() throws Exception {
        feed.start();
        List<ClusterMessage.Stored> m = storedBy("a", "a1", "a2", "a3", "a4");
        feed.onStored(m.get(0));
        feed.onStored(m.get(3));
        feed.onStored(m.get(1));
        feed.onStored(m.get(2));
        awaitDelivered(List.of("a1", "a2", "a3", "a4"));
        synchronized (indexed) {
            assertEquals(List.of("a1", "a2", "a3", "a4"), indexed, "the negentropy index hears of each once");
        }
        assertEquals(1, metric("parrhesia_cluster_gaps_total"));
        assertEquals(2, metric("parrhesia_cluster_events_received_total{via=\"journal\"}"));
    }

    @Test
    void eventsCommittedBeforeTheNodeStartedAreNotOwed() throws Exception {
        List<ClusterMessage.Stored> before = storedBy("a", "before");
        feed.start();
        assertFalse(feed.onStored(before.get(0)));
        List<ClusterMessage.Stored> after = storedBy("a", "after");
        feed.onStored(after.get(0));
        awaitDelivered(List.of("after"));
    }

    @Test
    void ownMessagesAreIgnored() throws Exception {
        feed.start();
        List<ClusterMessage.Stored> mine = storedBy("self", "mine");
        assertFalse(feed.onStored(mine.get(0)));
        feed.poll(true);
        List<ClusterMessage.Stored> theirs = storedBy("a", "theirs");
        feed.onStored(theirs.get(0));
        awaitDelivered(List.of("theirs"));
    }

    @Test
    void messagesThatNeverCameAreCaughtUpByTheSecondPollAfterTheirCommit() throws Exception {
        feed.start();
        storedBy("a", "a1", "a2");
        storedBy("b", "b1");
        // The first poll reads the heads but leaves younger entries to NATS.
        feed.poll(false);
        assertEquals(List.of(), delivered());
        feed.poll(false);
        MessageLog.until("three deliveries", () -> delivered().size() == 3);
        List<String> got = delivered();
        assertTrue(got.indexOf("a1") < got.indexOf("a2"), got.toString());
        assertTrue(got.contains("b1"), got.toString());
        assertEquals(3, metric("parrhesia_cluster_events_received_total{via=\"journal\"}"));
    }

    @Test
    void whileAnOriginsMessagesFlowOnlyWhatLagsSeveralPollsIsCaughtUpFromTheJournal() throws Exception {
        feed.start();
        List<ClusterMessage.Stored> m = storedBy("a", "a1", "a2", "a3", "a4", "a5");
        // A message between every two polls: A's messages flow (lagging), so NATS is given time.
        for (int i = 0; i < 3; i++) {
            feed.onStored(m.get(i));
            feed.poll(false);
        }
        assertEquals(0, metric("parrhesia_cluster_events_received_total{via=\"journal\"}"));
        feed.onStored(m.get(3));
        // Still flowing, but a5 was already committed when the poll three back read the heads: fetched.
        feed.poll(false);
        awaitDelivered(List.of("a1", "a2", "a3", "a4", "a5"));
        assertEquals(1, metric("parrhesia_cluster_events_received_total{via=\"journal\"}"));
        assertFalse(feed.onStored(m.get(4)), "its NATS copy, late");
    }

    @Test
    void anOriginWhoseMessagesStoppedIsCaughtUpToThePreviousPollsHeads() throws Exception {
        feed.start();
        List<ClusterMessage.Stored> m = storedBy("a", "a1", "a2", "a3");
        feed.onStored(m.get(0));
        feed.poll(false);
        // Nothing arrived since: stalled, caught up to what the previous poll saw.
        feed.poll(false);
        awaitDelivered(List.of("a1", "a2", "a3"));
        assertEquals(2, metric("parrhesia_cluster_events_received_total{via=\"journal\"}"));
    }

    @Test
    void afterAReconnectionAPollCatchesUpToTheCurrentHeadsAndLateMessagesAreDropped() throws Exception {
        feed.start();
        List<ClusterMessage.Stored> m = storedBy("a", "a1", "a2");
        feed.poll(true);
        awaitDelivered(List.of("a1", "a2"));
        assertFalse(feed.onStored(m.get(1)), "the NATS copy came after the catch-up");
        assertEquals(List.of("a1", "a2"), delivered());
    }

    @Test
    void nip09EventsDeletedBeforeTheCatchUpAreSkippedAndCounted() throws Exception {
        feed.start();
        List<CommitJournal.Entry> told = new ArrayList<>();
        EventStore a = journal.recording("a", told::addAll);
        Event note = event(alice, 1, now - 5, "deleted");
        a.write(List.of(note));
        a.writeDeletionRequest(event(alice, 5, now, "deletion", tag("e", note.id())));
        feed.poll(true);
        awaitDelivered(List.of("deletion"));
        assertEquals(1, metric("parrhesia_cluster_events_missed_total{reason=\"gone\"}"));
    }

    @Test
    void entriesPrunedBeforeTheCatchUpAreSkippedAndCounted() throws Exception {
        feed.start();
        storedBy("a", "a1", "a2");
        try (Connection c = DriverManager.getConnection(EmbeddedPostgresServer.shared().jdbcUrl() + "?currentSchema=" + SCHEMA,
                "postgres", ""); Statement st = c.createStatement()) {
            st.execute("UPDATE cluster_journal SET committed_at = 0 WHERE seq = 1");
        }
        assertEquals(1, journal.prune(Duration.ofHours(1)));
        List<ClusterMessage.Stored> m3 = storedBy("a", "a3");
        feed.onStored(m3.get(0));
        awaitDelivered(List.of("a2", "a3"));
        assertEquals(1, metric("parrhesia_cluster_events_missed_total{reason=\"pruned\"}"));
    }

    @Test
    void whenTheJournalCannotBeReadTheMessageWaitsForALaterPoll() throws Exception {
        feed.start();
        List<ClusterMessage.Stored> m = storedBy("a", "a1", "a2");
        journal.failing.set(true);
        assertFalse(feed.onStored(m.get(1)), "a2 needs a1 first, which cannot be read");
        feed.poll(true);
        assertEquals(List.of(), delivered());
        journal.failing.set(false);
        feed.poll(true);
        awaitDelivered(List.of("a1", "a2"));
        assertEquals(1, metric("parrhesia_cluster_polls_total{outcome=\"failed\"}"));
    }

    @Test
    void aGenerationSettlesOnceEverythingUpToItsHeadsWasDelivered() throws Exception {
        feed.start();
        assertEquals(0, feed.generation());
        storedBy("a", "a1");
        feed.poll(false);
        assertEquals(1, feed.generation());
        // Nothing was owed up to the start's heads (generation 0): settled at once.
        assertEquals(0, fanOut.remoteSettled());
        feed.poll(false);
        MessageLog.until("a1 delivered", () -> fanOut.remoteDelivered() == 1);
        feed.poll(false);
        // Generation 3's heads (a1) were handed on and delivered: it is settled, and every one before it.
        assertEquals(3, fanOut.remoteSettled());
        awaitDelivered(List.of("a1"));
    }

    /** The real journal, whose reads fail while {@link #failing} is set (database unreachable). */
    private static final class FlakyJournal implements CommitJournal {
        final AtomicBoolean failing = new AtomicBoolean();
        private final CommitJournal delegate;

        FlakyJournal(CommitJournal delegate) {
            this.delegate = delegate;
        }

        private void check() throws StoreException {
            if (failing.get()) {
                throw new StoreException("database unreachable (test)");
            }
        }

        @Override
        public EventStore recording(String origin, Recorder recorder) {
            return delegate.recording(origin, recorder);
        }

        @Override
        public Map<String, Long> heads() throws StoreException {
            check();
            return delegate.heads();
        }

        @Override
        public List<Entry> read(String origin, long afterSeq, long untilSeq, int limit) throws StoreException {
            check();
            return delegate.read(origin, afterSeq, untilSeq, limit);
        }

        @Override
        public int prune(Duration retention) throws StoreException {
            return delegate.prune(retention);
        }

        @Override
        public Lease lease(String origin) throws StoreException {
            return delegate.lease(origin);
        }
    }
}
