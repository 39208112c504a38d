package nostr.core.negentropy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Negentropy protocol v1 (NIP-77 appendix), robustness: no message may crash, hang or exhaust
 * memory. Random and mutated messages (bit flips, truncation, splicing, inserted varint runs,
 * duplicated ranges) are played against clients and servers, with and without frame size limits;
 * each must be answered or refused with a {@link NegentropyException} within a time bound, and see
 * {@link FuzzTarget} for the invariants checked on answers. The longer run is
 * {@link NegentropyFuzzMain}.
 */
class NegentropyFuzzTest {
    private static final Duration PER_CASE = Duration.ofSeconds(2);
    private static final List<NegentropyStorage> STORAGES = MessageMutator.storages();
    private static final MessageMutator MUTATOR = new MessageMutator(MessageMutator.validCorpus());
    private static final long[] LIMITS = {0, 4096, 60_000};

    @Property(tries = 3000)
    void nip77MutatedValidMessagesAreAnsweredOrRejectedCleanly(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] message = MUTATOR.next(rnd);
        NegentropyStorage storage = STORAGES.get(rnd.nextInt(STORAGES.size()));
        boolean asClient = rnd.nextBoolean();
        long limit = LIMITS[rnd.nextInt(LIMITS.length)];
        assertTimeoutPreemptively(PER_CASE, () -> FuzzTarget.play(message, storage, asClient, limit));
    }

    @Property(tries = 1500)
    void nip77RandomBytesBehindVersionByteAreAnsweredOrRejectedCleanly(@ForAll @Size(max = 400) byte[] body,
            @ForAll @IntRange(min = 0, max = 3) int storageIndex, @ForAll boolean asClient, @ForAll boolean limited) {
        byte[] message = new byte[body.length + 1];
        message[0] = Negentropy.PROTOCOL_VERSION;
        System.arraycopy(body, 0, message, 1, body.length);
        NegentropyStorage storage = STORAGES.get(storageIndex);
        assertTimeoutPreemptively(PER_CASE, () -> FuzzTarget.play(message, storage, asClient, limited ? 4096 : 0));
    }

    @Property(tries = 500)
    void nip77ArbitraryBytesAreAnsweredOrRejectedCleanly(@ForAll @Size(max = 100) byte[] message, @ForAll boolean asClient) {
        FuzzTarget.Outcome outcome = assertTimeoutPreemptively(PER_CASE,
                () -> FuzzTarget.play(message, STORAGES.get(2), asClient, 0));
        if (message.length == 0) {
            assertFalse(outcome.accepted(), "an empty message must be refused");
        }
    }
}
