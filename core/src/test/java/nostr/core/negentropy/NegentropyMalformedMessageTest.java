package nostr.core.negentropy;

import static nostr.core.negentropy.ReferenceMath.concat;
import static nostr.core.negentropy.ReferenceMath.varint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nostr.core.Hex;
import org.junit.jupiter.api.Test;

/**
 * Negentropy protocol v1 (NIP-77 appendix: Varint, Bound, Range, IdList) on malformed input: every
 * defect is refused with a {@link NegentropyException} naming it, in both roles, without large
 * allocations or long loops; and the unusual-but-valid (equal bounds, ranges not reaching
 * infinity, many ranges) is processed in linear time.
 */
class NegentropyMalformedMessageTest {
    private static final NegentropyArrayStorage ITEMS = NegentropyTest.sequential(2000, 100);

    private static String refusal(byte[] message) {
        Negentropy server = new Negentropy(ITEMS);
        String serverReason = assertThrows(NegentropyException.class, () -> server.reconcile(message)).getMessage();
        Negentropy client = new Negentropy(ITEMS);
        client.initiate();
        String clientReason = assertThrows(NegentropyException.class,
                () -> client.reconcile(message, new ArrayList<>(), new ArrayList<>())).getMessage();
        assertEquals(serverReason, clientReason, "both roles parse alike");
        return serverReason;
    }

    @Test
    void nip77VarintsEncodeMostSignificantDigitFirst() {
        assertEquals("00", encode(0));
        assertEquals("7f", encode(127));
        assertEquals("8100", encode(128));
        assertEquals("877d", encode(1021));
        assertEquals("81ffffffffffffffff7f", encode(-1L), "2^64-1 takes ten digits");
        for (long v : new long[] {0, 1, 127, 128, 16383, 16384, Long.MAX_VALUE, Long.MIN_VALUE, -1L}) {
            assertEquals(Hex.encode(varint(v)), encode(v), "independent encoding of " + Long.toUnsignedString(v));
            MessageReader r = new MessageReader(varint(v));
            assertEquals(v, r.readVarint("value"));
            assertEquals(0, r.remaining());
        }
    }

    private static String encode(long v) {
        byte[] out = new byte[Varint.MAX_BYTES];
        int n = Varint.write(v, out, 0);
        assertEquals(n, Varint.length(v));
        return Hex.encode(out, 0, n);
    }

    @Test
    void nip77VarintsOver64BitsAreRefused() {
        byte[] over = varint(BigInteger.ONE.shiftLeft(64));
        assertEquals("a bound timestamp varint at byte 1 exceeds 64 bits", refusal(concat(0x61, over, 0x00, 0x00)));
        byte[] run = new byte[100_000];
        java.util.Arrays.fill(run, (byte) 0xff);
        assertEquals("a bound timestamp varint at byte 1 exceeds 64 bits", refusal(concat(0x61, run)));
    }

    @Test
    void nip77VarintsWithLeadingZeroDigitsAreRefused() {
        assertEquals("a bound timestamp varint at byte 1 has a leading zero digit (not minimal)",
                refusal(Hex.decode("61800100")));
    }

    @Test
    void nip77EmptyMessageIsRefused() {
        assertEquals("empty message: expected the protocol version byte", refusal(new byte[0]));
    }

    @Test
    void nip77TruncatedMessagesNameWhereTheyEnd() {
        assertEquals("message ends at byte 2 inside a bound id prefix length", refusal(Hex.decode("6100")));
        assertEquals("message ends at byte 3 inside a range mode", refusal(Hex.decode("610000")));
        assertEquals("message ends at byte 2 inside a bound timestamp", refusal(Hex.decode("6181")));
        assertEquals("message ends at byte 5 inside a bound id prefix", refusal(Hex.decode("6100030102")));
        assertEquals("message ends at byte 8 inside a fingerprint", refusal(Hex.decode("6100000101020304")));
        assertEquals("message ends at byte 4 inside an id list length", refusal(Hex.decode("61000002")));
    }

    @Test
    void nip77BoundPrefixOver32BytesIsRefused() {
        assertEquals("bound id prefix length 33 at byte 2 exceeds 32",
                refusal(concat(0x61, 0x00, 0x21, new byte[33], 0x00)));
    }

    @Test
    void nip77UnknownModeIsRefused() {
        assertEquals("unknown range mode 3 at byte 3 (expected 0 skip, 1 fingerprint or 2 id list)", refusal(Hex.decode("61000003")));
    }

    @Test
    void nip77IdListLongerThanTheMessageIsRefusedBeforeAllocating() {
        assertEquals("id list at byte 4 claims 1000000 ids but only 64 bytes remain",
                refusal(concat(0x61, 0x00, 0x00, 0x02, varint(1_000_000), new byte[64])));
    }

    @Test
    void nip77IdListCountWithTopBitSetIsRefused() {
        // Regression (found by NegentropyFuzzMain): a count >= 2^63 read as a negative long passed the
        // length check and moved the read position backwards.
        for (BigInteger count : List.of(BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(63).add(BigInteger.TWO))) {
            String reason = refusal(concat(0x61, 0x00, 0x00, 0x02, varint(count), new byte[64]));
            assertEquals("id list at byte 4 claims " + count + " ids but only 64 bytes remain", reason);
        }
    }

    @Test
    void nip77DescendingBoundsAreRefused() {
        // (timestamp 5, prefix 10) skip, then (offset 0, prefix 05) skip: the second sorts lower.
        String reason = refusal(Hex.decode("6106011000" + "01010500"));
        assertTrue(reason.startsWith("range bound at byte 5 (Bound(5,05)) is below the previous bound (Bound(5,10))"), reason);
    }

    @Test
    void nip77EqualAndPaddedEqualBoundsAreAccepted() {
        Negentropy server = new Negentropy(ITEMS);
        // (2010, "") then (2010, "00"): equal once zero-padded; an empty range between them
        byte[] reply = server.reconcile(concat(0x61, varint(2011), 0x00, 0x00, 0x01, 0x01, 0x00, 0x02, 0x00));
        assertEquals(0x61, reply[0]);
    }

    @Test
    void nip77TimestampOffsetsSaturateAtInfinity() {
        Negentropy server = new Negentropy(ITEMS);
        // 2^64-2 then +5: saturates to infinity instead of wrapping to a small timestamp.
        byte[] reply = server.reconcile(concat(0x61, varint(-1L), 0x00, 0x00, varint(6), 0x00, 0x02, 0x00));
        // Everything lies below the first bound (skipped); the second range is empty and answered
        // by an empty id list after an explicit skip.
        assertArrayEquals(concat(0x61, varint(-1L), 0x00, 0x00, 0x00, 0x00, 0x02, 0x00), reply);
    }

    @Test
    void nip77ManyRangesAreProcessedInLinearTime() {
        ByteArrayOutputStream skips = new ByteArrayOutputStream();
        skips.write(0x61);
        for (int i = 0; i < 200_000; i++) {
            skips.writeBytes(new byte[] {0x00, 0x00, 0x00}); // (infinity, "") skip, repeated
        }
        byte[] manySkips = skips.toByteArray();
        ByteArrayOutputStream fps = new ByteArrayOutputStream();
        fps.write(0x61);
        for (int i = 0; i < 100_000; i++) {
            fps.writeBytes(concat(0x02, 0x00, 0x01, new byte[16])); // +1 timestamp, mismatching fingerprint
        }
        byte[] manyFingerprints = fps.toByteArray();
        NegentropyArrayStorage big = NegentropyTest.sequential(0, 50_000);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals("61", Hex.encode(new Negentropy(big).reconcile(manySkips)));
            byte[] limited = new Negentropy(big, 60_000).reconcile(manyFingerprints);
            assertTrue(limited.length <= 60_000, "reply " + limited.length + " bytes over the limit");
            byte[] unlimited = new Negentropy(big).reconcile(manyFingerprints);
            // 50,000 one-item ranges, each answered by an id list of its item, then 50,000 empty
            // ranges, each answered by an empty id list.
            assertTrue(unlimited.length > 50_000 * 32, "every item was listed");
        });
    }
}
