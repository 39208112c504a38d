package nostr.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's small parts: the reconnection schedule (exponential, jittered, capped), the bounded
 * de-duplication window, and the joining of WebSocket message fragments (RFC 6455 section 5.4).
 */
class ClientPartsTest {

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheCapWithoutJitter() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 2.0, 0.0, 10);
        long[] expected = {100, 200, 400, 800, 1000, 1000};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], b.delay(i, 0.7).toMillis(), "attempt " + i);
        }
        assertEquals(1000, b.delay(10_000, 0.7).toMillis(), "huge attempt numbers stay at the cap");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.25, 0.5, 0.999999, 1.0})
    void backoffJitterStaysWithinItsFractionBelowTheDelay(double r) {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(30), 2.0, 0.5, 10);
        for (int attempt = 0; attempt < 12; attempt++) {
            long base = Math.min(30_000, 1000L << attempt);
            long d = b.delay(attempt, r).toMillis();
            assertTrue(d <= base && d >= base / 2, "attempt " + attempt + " r " + r + " gave " + d);
        }
        assertEquals(1000, b.delay(0, 0.0).toMillis());
        assertEquals(750, b.delay(0, 0.5).toMillis());
    }

    @Test
    void backoffRefusesNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0.5, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0.5, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0.5, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 0.5, -1));
        assertEquals(0, Backoff.none().maxAttempts());
    }

    @Test
    void boundedIdSetNeverHoldsMoreThanItsCapacityAndForgetsTheLeastRecentlySeen() {
        BoundedIdSet s = new BoundedIdSet(3);
        assertTrue(s.add("a"));
        assertTrue(s.add("b"));
        assertTrue(s.add("c"));
        assertFalse(s.add("a"), "a is remembered");
        assertTrue(s.add("d"), "d evicts b, the least recently seen");
        assertEquals(3, s.size());
        assertFalse(s.contains("b"));
        assertTrue(s.contains("a"));
        assertTrue(s.add("b"), "an evicted id counts as new again");
        for (int i = 0; i < 10_000; i++) {
            s.add("id" + i);
        }
        assertEquals(3, s.size());
        assertEquals(3, s.capacity());
    }

    @Test
    void messageAssemblerJoinsPartsUntilTheLastFlag() throws Exception {
        MessageAssembler a = new MessageAssembler(1024);
        assertEquals("[\"EOSE\",\"x\"]", a.append("[\"EOSE\",\"x\"]", true));
        assertNull(a.append("[\"NOTICE\",", false));
        assertTrue(a.inProgress());
        assertNull(a.append("\"hel", false));
        assertEquals("[\"NOTICE\",\"hello\"]", a.append("lo\"]", true));
        assertFalse(a.inProgress());
    }

    @Test
    void messageAssemblerRefusesMessagesOverTheLimitAndRecovers() throws Exception {
        MessageAssembler a = new MessageAssembler(10);
        assertNull(a.append("12345", false));
        MessageAssembler.TooLargeException e = assertThrows(MessageAssembler.TooLargeException.class,
                () -> a.append("678901", true));
        assertEquals("relay message is longer than 10 characters", e.getMessage());
        assertFalse(a.inProgress());
        assertEquals("ok", a.append("ok", true));
    }
}
