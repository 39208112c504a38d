package nostr.relay.policy.stage;

import static nostr.relay.policy.PolicyFixtures.NOW;
import static nostr.relay.store.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nostr.core.event.Event;
import nostr.core.keys.SecretKey;
import nostr.relay.auth.AuthSession;
import nostr.relay.policy.ClientContext;
import nostr.relay.policy.KeyedBuckets;
import nostr.relay.policy.TokenBucket;
import nostr.relay.policy.WriteRequest;
import org.junit.jupiter.api.Test;

/**
 * Stage 8: token buckets per connection, per address (IPv6 by /64) and per author; rate-limited:.
 * Time is passed in, so refills happen by moving the clock, not by waiting.
 */
class RateLimitStageTest {
    static final long SECOND = 1_000_000_000L;
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();
    private long t = NOW * SECOND;

    private WriteRequest at(Event e, ClientContext c) {
        return new WriteRequest(e, c, t / SECOND, t);
    }

    private static ClientContext from(String ip) {
        return new ClientContext(ip, new AuthSession("c"), null);
    }

    @Test
    void connectionBucketAllowsItsBurstThenRefillsWithTime() {
        RateLimitStage s = new RateLimitStage(null, null);
        ClientContext c = new ClientContext("192.0.2.1", new AuthSession("c"), new TokenBucket(1, 2, t));
        assertNull(s.check(at(event(alice, 1, NOW, "1"), c)));
        assertNull(s.check(at(event(alice, 1, NOW, "2"), c)));
        assertTrue(s.check(at(event(alice, 1, NOW, "3"), c)).startsWith("rate-limited:"));
        t += SECOND;
        assertNull(s.check(at(event(alice, 1, NOW, "4"), c)), "one token back after a second");
        assertTrue(s.check(at(event(alice, 1, NOW, "5"), c)).startsWith("rate-limited:"));
    }

    @Test
    void addressBucketIsSharedByConnectionsAndIpv6CountsBySlash64() {
        RateLimitStage s = new RateLimitStage(new KeyedBuckets(1, 2, 1000), null);
        assertNull(s.check(at(event(alice, 1, NOW, "a"), from("2001:db8:1:2::10"))));
        assertNull(s.check(at(event(bob, 1, NOW, "b"), from("2001:db8:1:2::20"))));
        assertTrue(s.check(at(event(alice, 1, NOW, "c"), from("2001:db8:1:2:ffff::1"))).startsWith("rate-limited:"),
                "same /64, same bucket");
        assertNull(s.check(at(event(alice, 1, NOW, "d"), from("2001:db8:1:3::1"))), "another /64");
        assertNull(s.check(at(event(alice, 1, NOW, "e"), from("192.0.2.1"))));
    }

    @Test
    void authorBucketIsChargedOnlyAfterVerification() {
        KeyedBuckets authors = new KeyedBuckets(1, 1, 1000);
        RateLimitStage s = new RateLimitStage(null, authors);
        ClientContext c = from("192.0.2.1");
        WriteRequest first = at(event(alice, 1, NOW, "1"), c);
        // Forged events (never verified) only look at the bucket: many of them take nothing.
        for (int i = 0; i < 5; i++) {
            assertNull(s.check(at(event(alice, 1, NOW, "forged " + i), c)));
        }
        assertNull(s.chargeAuthor(first), "the genuine event takes the token");
        assertTrue(s.check(at(event(alice, 1, NOW, "2"), c)).startsWith("rate-limited:"));
        assertTrue(s.chargeAuthor(at(event(alice, 1, NOW, "3"), c)).startsWith("rate-limited:"));
        assertNull(s.check(at(event(bob, 1, NOW, "bob has his own"), c)));
        t += SECOND;
        assertNull(s.check(at(event(alice, 1, NOW, "4"), c)));
    }
}
