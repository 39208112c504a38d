package nostr.relay.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shared token buckets: bursts, refill by time, pruning of idle keys, a bounded number of keys. */
class KeyedBucketsTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void eachKeyHasItsOwnBurstAndRefill() {
        KeyedBuckets b = new KeyedBuckets(2, 3, 100);
        long t = 0;
        for (int i = 0; i < 3; i++) {
            assertTrue(b.tryTake("a", t));
        }
        assertFalse(b.tryTake("a", t));
        assertTrue(b.tryTake("b", t), "another key is independent");
        t += SECOND / 2;
        assertTrue(b.tryTake("a", t), "2 per second: one token after half a second");
        assertFalse(b.tryTake("a", t));
        assertFalse(b.hasToken("a", t));
        assertTrue(b.hasToken("never-seen", t));
    }

    @Test
    void fullBucketsArePrunedAndTheMapStaysBounded() {
        KeyedBuckets b = new KeyedBuckets(1, 1, 10);
        long t = 0;
        for (int i = 0; i < 5; i++) {
            b.tryTake("k" + i, t);
        }
        assertEquals(5, b.size());
        assertEquals(0, b.prune(t), "all five are empty");
        assertEquals(5, b.prune(t + SECOND), "a second later all are full again");
        assertEquals(0, b.size());
        for (int i = 0; i < 1000; i++) {
            b.tryTake("flood" + i, t);
        }
        assertTrue(b.size() <= 10, "size " + b.size());
    }

    @Test
    void timeGoingBackwardsAddsNothing() {
        TokenBucket b = new TokenBucket(1, 1, 10 * SECOND);
        assertTrue(b.tryTake(10 * SECOND));
        assertFalse(b.tryTake(5 * SECOND));
        assertFalse(b.tryTake(10 * SECOND));
        assertTrue(b.tryTake(11 * SECOND));
    }
}
