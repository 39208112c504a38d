package nostr.signer.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import nostr.signer.config.SignerConfig.RateLimit;
import nostr.signer.ops.SignerException;
import nostr.signer.testing.MutableClock;

/** The signer API's rate limiting table: cooldowns, per-minute caps, fixed and exponential lockouts. */
class RateLimiterTest {
    final MutableClock clock = MutableClock.startingNow();

    String attempt(RateLimiter l, String sender) {
        try {
            l.acquire(sender);
            return "ok";
        } catch (SignerException e) {
            assertEquals(SignerException.Reason.RATE_LIMITED, e.reason());
            return e.getMessage();
        }
    }

    @Test
    void slidingMinuteAdmitsAgainAsOldCallsAge() {
        RateLimiter l = new RateLimiter("op", new RateLimit(Duration.ZERO, 2, Duration.ofSeconds(1), Duration.ofSeconds(8), true), clock);
        assertEquals("ok", attempt(l, "a"));
        clock.advance(Duration.ofSeconds(30));
        assertEquals("ok", attempt(l, "a"));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(attempt(l, "a").contains("locked out for 1000 ms"));
        clock.advance(Duration.ofSeconds(30));
        assertEquals("ok", attempt(l, "a"), "the first call is older than a minute now");
    }

    @Test
    void exponentialLockoutIsCappedAndForgottenAfterACleanMinute() {
        RateLimiter l = new RateLimiter("op", new RateLimit(Duration.ZERO, 1, Duration.ofSeconds(1), Duration.ofSeconds(4), true), clock);
        assertEquals("ok", attempt(l, "a"));
        long[] expected = {1000, 2000, 4000, 4000};
        for (long ms : expected) {
            String m = attempt(l, "a");
            assertTrue(m.contains("locked out for " + ms + " ms"), m);
            clock.advance(Duration.ofMillis(ms));
        }
        clock.advance(Duration.ofSeconds(61));
        assertEquals("ok", attempt(l, "a"));
        assertTrue(attempt(l, "a").contains("locked out for 1000 ms"), "the streak starts over");
    }

    @Test
    void fixedLockoutAndCooldown() {
        RateLimiter l = new RateLimiter("StoreKey", new RateLimit(Duration.ofMillis(500), 3, Duration.ofMinutes(5),
                Duration.ofMinutes(5), false), clock);
        assertEquals("ok", attempt(l, "a"));
        assertTrue(attempt(l, "a").startsWith("StoreKey rate limited: cooldown of 500 ms"));
        assertEquals("ok", attempt(l, "b"), "limits are per sender");
        clock.advance(Duration.ofMillis(500));
        assertEquals("ok", attempt(l, "a"));
        clock.advance(Duration.ofMillis(500));
        assertEquals("ok", attempt(l, "a"));
        clock.advance(Duration.ofMillis(500));
        assertTrue(attempt(l, "a").contains("locked out for 300000 ms"));
        clock.advance(Duration.ofMinutes(4));
        assertTrue(attempt(l, "a").contains("locked out for another"));
        clock.advance(Duration.ofMinutes(1));
        assertEquals("ok", attempt(l, "a"));
    }

    @Test
    void zeroDisablesLimits() {
        RateLimiter l = new RateLimiter("op", new RateLimit(Duration.ZERO, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), true), clock);
        for (int i = 0; i < 1000; i++) {
            assertEquals("ok", attempt(l, "a"));
        }
    }
}
