package nostr.core.nip13;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import nostr.core.event.Event;
import nostr.core.event.EventTemplate;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/** NIP-13: "difficulty" definition and examples, the "Example mined note", committed targets, mining. */
class PowTest {
    private static final String EXAMPLE = """
            {
              "id": "000006d8c378af1779d2feebc7603a125d99eca0ccf1085959b307f64e5dd358",
              "pubkey": "a48380f4cfcc1ad5378294fcac36439770f9c878dd880ffa94bb74ea54a6f243",
              "created_at": 1651794653,
              "kind": 1,
              "tags": [
                ["nonce", "776797", "20"]
              ],
              "content": "It's just me mining my own business",
              "sig": "284622fc0a3f4f1303455d5175f7ba962a3300d136085b9566801bc2e0699de0c7e31e44c81fb40ad9049173742e904713c3594a1da0fc5d2382a25c11aba977"
            }""";

    @Test
    void nip13ExampleMinedNoteHasDifficulty21AndCommitsTo20() throws Exception {
        Event e = Event.parse(EXAMPLE);
        e.verify();
        assertEquals(21, Pow.difficulty(e.id()));
        assertEquals(20, Pow.committedTarget(e));
    }

    @Test
    void nip13DifficultyCountsLeadingZeroBits() {
        assertEquals(36, Pow.difficulty("000000000e9d97a1ab09fc381030b346cdd7a142ad57e6df0b46dc9bef6c7e2d"));
        assertEquals(10, Pow.difficulty("002f" + "f".repeat(60)));
        assertEquals(0, Pow.difficulty("8" + "0".repeat(63)));
        assertEquals(3, Pow.difficulty("1" + "0".repeat(63)));
        assertEquals(256, Pow.difficulty("0".repeat(64)));
        assertEquals(255, Pow.difficulty("0".repeat(63) + "1"));
        assertThrows(IllegalArgumentException.class, () -> Pow.difficulty("00"));
        assertThrows(IllegalArgumentException.class, () -> Pow.difficulty("0".repeat(63) + "G"));
    }

    @Test
    void nip13CommittedTargetIsMinusOneWhenAbsentOrMalformed() {
        SecretKey k = SecretKey.generate();
        assertEquals(-1, Pow.committedTarget(EventTemplate.of(1, "", List.of()).sign(k)));
        assertEquals(-1, Pow.committedTarget(EventTemplate.of(1, "", List.of(List.of("nonce", "5"))).sign(k)));
        assertEquals(-1, Pow.committedTarget(EventTemplate.of(1, "", List.of(List.of("nonce", "5", "x"))).sign(k)));
        assertEquals(-1, Pow.committedTarget(EventTemplate.of(1, "", List.of(List.of("nonce", "5", "-3"))).sign(k)));
        assertEquals(-1, Pow.committedTarget(EventTemplate.of(1, "", List.of(List.of("nonce", "5", "300"))).sign(k)));
        assertEquals(16, Pow.committedTarget(EventTemplate.of(1, "", List.of(List.of("nonce", "5", "16"))).sign(k)));
    }

    @Test
    void nip13MineReachesTheTargetAndKeepsTheRest() throws Exception {
        SecretKey k = SecretKey.generate();
        List<List<String>> tags = List.of(List.of("t", "pow"), List.of("nonce", "old", "3"), List.of("p", k.publicKey().hex()));
        EventTemplate t = new EventTemplate(1_700_000_000L, 1, tags, "mine me \u2764\ufe0f \"\\");
        EventTemplate mined = Pow.mine(t, k.publicKey().hex(), 14, 2);
        assertEquals(t.createdAt(), mined.createdAt());
        assertEquals(t.kind(), mined.kind());
        assertEquals(t.content(), mined.content());
        assertEquals(List.of(List.of("t", "pow"), List.of("p", k.publicKey().hex())), mined.tags().subList(0, 2));
        List<String> nonce = mined.tags().get(2);
        assertEquals("nonce", nonce.get(0));
        assertEquals("14", nonce.get(2));
        Event e = mined.sign(k);
        e.verify();
        assertTrue(Pow.difficulty(e.id()) >= 14, e.id());
        assertEquals(14, Pow.committedTarget(e));
    }

    @Test
    void nip13MineWithDifficultyZeroTakesNonceZero() {
        EventTemplate mined = Pow.mine(new EventTemplate(5, 1, List.of(), ""), "ab".repeat(32), 0, 1);
        assertEquals(List.of(List.of("nonce", "0", "0")), mined.tags());
    }

    @Test
    void nip13MineStopsWhenInterrupted() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean interruptKept = new AtomicBoolean();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread miner = Thread.ofPlatform().start(() -> {
            started.complete(null);
            try {
                Pow.mine(EventTemplate.of(1, "never", List.of()), "ab".repeat(32), 200, 2);
            } catch (CancellationException e) {
                cancelled.set(true);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        started.get(10, TimeUnit.SECONDS);
        miner.interrupt();
        assertTrue(miner.join(Duration.ofSeconds(30)), "miner stopped after interruption");
        assertTrue(cancelled.get());
        assertTrue(interruptKept.get());
    }

    @Test
    void nip13MineRefusesBadArguments() {
        EventTemplate t = EventTemplate.of(1, "", List.of());
        assertEquals("pubkey must be 64 lowercase hex characters",
                assertThrows(IllegalArgumentException.class, () -> Pow.mine(t, "AB".repeat(32), 1, 1)).getMessage());
        assertEquals("difficulty must be between 0 and 256, got 257",
                assertThrows(IllegalArgumentException.class, () -> Pow.mine(t, "ab".repeat(32), 257, 1)).getMessage());
        assertEquals("threads must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Pow.mine(t, "ab".repeat(32), 1, 0)).getMessage());
    }
}
