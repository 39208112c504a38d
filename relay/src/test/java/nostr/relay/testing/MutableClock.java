package nostr.relay.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand: the relay reads created_at bounds, expiry and its token buckets
 * from it, so a test refills a rate limit or lets an event expire by advancing it, not by sleeping.
 * Starts at the real current time.
 */
public final class MutableClock extends Clock {
    private volatile long millis = System.currentTimeMillis();

    public void advance(Duration d) {
        millis += d.toMillis();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
