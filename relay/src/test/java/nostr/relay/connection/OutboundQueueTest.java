package nostr.relay.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nostr.relay.testing.RecordingTransport;
import org.junit.jupiter.api.Test;

/** The per-connection bounded outbound queue: order, batching, slow-consumer close, stored-phase waiting. */
class OutboundQueueTest {

    @Test
    void messagesGoOutInOrder() {
        RecordingTransport t = new RecordingTransport();
        OutboundQueue q = new OutboundQueue(t, Runnable::run, 1 << 20, () -> { });
        for (int i = 0; i < 100; i++) {
            assertTrue(q.offer("[\"NOTICE\",\"" + i + "\"]"));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("[\"NOTICE\",\"" + i + "\"]");
        }
        assertEquals(expected, t.all());
        assertEquals(0, q.pendingBytes());
    }

    @Test
    void concurrentProducersLoseNothingAndEachProducersOrderHolds() throws Exception {
        RecordingTransport t = new RecordingTransport();
        var drainer = Executors.newVirtualThreadPerTaskExecutor();
        OutboundQueue q = new OutboundQueue(t, drainer, 1 << 30, () -> { });
        List<CompletableFuture<Void>> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int producer = p;
            producers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2000; i++) {
                    q.offer("[\"NOTICE\",\"" + producer + ":" + i + "\"]");
                }
            }, drainer));
        }
        CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        t.await("8000 messages", ms -> ms.size() == 8000);
        int[] next = new int[4];
        for (String m : t.all()) {
            String[] pi = m.substring(11, m.length() - 2).split(":");
            int p = Integer.parseInt(pi[0]);
            assertEquals(next[p]++, Integer.parseInt(pi[1]), "order of producer " + p);
        }
        drainer.close();
    }

    @Test
    void aClientThatStopsReadingIsClosedOnceWithAReason() {
        RecordingTransport t = new RecordingTransport();
        AtomicInteger overflows = new AtomicInteger();
        OutboundQueue q = new OutboundQueue(t, Runnable::run, 1000, overflows::incrementAndGet);
        t.stall();
        int accepted = 0;
        while (q.offer(new byte[100])) {
            accepted++;
        }
        assertEquals(10, accepted);
        assertFalse(q.offer(new byte[1]));
        assertEquals(1, overflows.get());
        assertEquals(OutboundQueue.SLOW_CONSUMER_CLOSE_CODE, t.closeCode());
        assertTrue(t.closeReason().contains("limit 1000"), t.closeReason());
        assertTrue(q.isClosed());
    }

    @Test
    void storedPhaseWaitsForRoomAndGivesUpAtItsDeadline() throws Exception {
        RecordingTransport t = new RecordingTransport();
        OutboundQueue q = new OutboundQueue(t, Runnable::run, 1000, () -> { });
        t.stall();
        assertTrue(q.offer(new byte[600]));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        assertFalse(q.awaitRoom(deadline), "more than half full: no room before the deadline");
        assertTrue(System.nanoTime() >= deadline);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return q.awaitRoom(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        t.resume();
        assertTrue(waiting.get(20, TimeUnit.SECONDS));
        assertEquals(0, q.pendingBytes());
    }

    @Test
    void closingWakesWaitersAndDropsLaterMessages() throws Exception {
        RecordingTransport t = new RecordingTransport();
        OutboundQueue q = new OutboundQueue(t, Runnable::run, 1000, () -> { });
        t.stall();
        q.offer(new byte[900]);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return q.awaitRoom(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        q.close();
        assertFalse(waiting.get(20, TimeUnit.SECONDS));
        assertFalse(q.offer("[\"NOTICE\",\"late\"]"));
        assertEquals(1, t.all().size());
    }
}
