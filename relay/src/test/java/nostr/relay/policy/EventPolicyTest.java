package nostr.relay.policy;

import static nostr.relay.store.TestEvents.event;
import static nostr.relay.store.TestEvents.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import nostr.core.keys.SecretKey;
import nostr.relay.config.Limits;
import org.junit.jupiter.api.Test;

/** The pre-verification checks and their NIP-01 machine prefixes (invalid, blocked, restricted). */
class EventPolicyTest {
    private static final long NOW = 1_800_000_000L;
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();
    private final AtomicReference<ModerationLists> lists = new AtomicReference<>(ModerationLists.open());
    private final EventPolicy policy = new EventPolicy(
            new Limits(1 << 16, 10, 10, 100, 20, 64, 3, 10, 100, 3600, 60, 0, 0), lists::get);

    @Test
    void nip01AcceptableEventPasses() {
        assertNull(policy.check(event(alice, 1, NOW, "hello", tag("t", "x")), NOW));
    }

    @Test
    void nip11LimitsAreInvalid() {
        assertTrue(policy.check(event(alice, 1, NOW, "x", tag("a", "1"), tag("b", "2"), tag("c", "3"), tag("d", "4")), NOW)
                .startsWith("invalid: too many tags"));
        assertTrue(policy.check(event(alice, 1, NOW, "12345678901"), NOW).startsWith("invalid: content too long"));
        assertNull(policy.check(event(alice, 1, NOW, "\ud83d\ude00".repeat(10)), NOW), "10 characters, 20 UTF-16 units");
        assertTrue(policy.check(event(alice, 1, NOW + 61, "x"), NOW).startsWith("invalid: created_at"));
        assertNull(policy.check(event(alice, 1, NOW + 60, "x"), NOW));
        assertTrue(policy.check(event(alice, 1, NOW - 3601, "x"), NOW).startsWith("invalid: created_at"));
        assertNull(policy.check(event(alice, 1, NOW - 3600, "x"), NOW));
    }

    @Test
    void nip42AuthEventsAreInvalidAsEvent() {
        assertTrue(policy.check(event(alice, 22242, NOW, ""), NOW).startsWith("invalid:"));
    }

    @Test
    void bansAreBlockedWithTheOperatorsReason() {
        var e = event(alice, 1, NOW, "x");
        lists.set(new ModerationLists(Map.of(alice.publicKey().hex(), "spam"), Map.of(), Set.of(), Set.of()));
        assertEquals("blocked: this pubkey is banned from this relay (spam)", policy.check(e, NOW));
        lists.set(new ModerationLists(Map.of(), Map.of(e.id(), ""), Set.of(), Set.of()));
        assertEquals("blocked: this event is banned from this relay", policy.check(e, NOW));
    }

    @Test
    void allowlistsAreRestricted() {
        lists.set(new ModerationLists(Map.of(), Map.of(), Set.of(bob.publicKey().hex()), Set.of()));
        assertTrue(policy.check(event(alice, 1, NOW, "x"), NOW).startsWith("restricted:"));
        assertNull(policy.check(event(bob, 1, NOW, "x"), NOW));
        lists.set(new ModerationLists(Map.of(), Map.of(), Set.of(), Set.of(1)));
        assertTrue(policy.check(event(alice, 7, NOW, "+"), NOW).startsWith("restricted:"));
        assertNull(policy.check(event(alice, 1, NOW, "x"), NOW));
        assertTrue(lists.get().restrictsWrites());
    }

    @Test
    void tokenBucketRefillsAtItsRate() {
        TokenBucket b = new TokenBucket(10, 2, 0);
        assertTrue(b.tryTake(0));
        assertTrue(b.tryTake(0));
        assertEquals(false, b.tryTake(0));
        assertTrue(b.tryTake(100_000_000L), "one token after 100 ms at 10/s");
        assertEquals(false, b.tryTake(100_000_000L));
    }
}
