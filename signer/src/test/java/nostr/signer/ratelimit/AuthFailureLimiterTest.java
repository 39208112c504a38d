package nostr.signer.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import nostr.signer.testing.MutableClock;

/** "Client Auth: 5 attempts, exponential (1s, 2s, 4s... up to 5 min)" from the signer API's rate limiting table. */
class AuthFailureLimiterTest {
    @Test
    void fiveFreeFailuresThenDoublingLockoutsUpToFiveMinutes() {
        MutableClock clock = MutableClock.startingNow();
        AuthFailureLimiter l = new AuthFailureLimiter(5, Duration.ofMinutes(5), clock);
        for (int i = 0; i < 5; i++) {
            assertEquals(Duration.ZERO, l.failure("c"));
            assertEquals(0, l.lockedForMillis("c"));
        }
        long expected = 1;
        for (int i = 0; i < 12; i++) {
            Duration d = l.failure("c");
            assertEquals(Duration.ofSeconds(Math.min(expected, 300)), d);
            assertEquals(d.toMillis(), l.lockedForMillis("c"));
            clock.advance(d);
            assertEquals(0, l.lockedForMillis("c"));
            expected *= 2;
        }
        assertEquals(0, l.lockedForMillis("other"));
        l.success("c");
        assertEquals(Duration.ZERO, l.failure("c"), "success clears the record");
    }
}
