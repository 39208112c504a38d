package nostr.core.negentropy;

import static nostr.core.negentropy.ReferenceMath.concat;
import static nostr.core.negentropy.ReferenceMath.fingerprint;
import static nostr.core.negentropy.ReferenceMath.varint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nostr.core.Hex;
import org.junit.jupiter.api.Test;

/**
 * Negentropy protocol v1 (NIP-77 appendix: Message, Range, Bound, Fingerprint Algorithm) and the
 * reference implementation's splitting rules, on inputs small enough that every expected byte is
 * derived by hand in the test from the protocol text (with {@link ReferenceMath}, not the code under
 * test).
 */
class NegentropyTest {

    /** Distinct ids that sort by {@code i} (big-endian in the first two bytes). */
    static byte[] id(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) (i >> 8);
        b[1] = (byte) i;
        for (int k = 2; k < 32; k++) {
            b[k] = (byte) (i * 31 + k * 7);
        }
        return b;
    }

    static List<byte[]> ids(int from, int to) {
        List<byte[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(id(i));
        }
        return out;
    }

    /** Items {@code (base + i, id(i))} for i in [0, n). */
    static NegentropyArrayStorage sequential(long base, int n) {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        for (int i = 0; i < n; i++) {
            b.add(base + i, id(i));
        }
        return b.seal();
    }

    @Test
    void nip77EmptyClientInitiatesWithOneEmptyIdListToInfinity() {
        Negentropy client = new Negentropy(NegentropyArrayStorage.empty());
        // version 0x61, bound: timestamp infinity (0), prefix length 0, mode 2 (id list), 0 ids
        assertEquals("6100000200", client.initiateHex());
        assertTrue(client.isInitiator());
    }

    @Test
    void nip77FewerThan32ItemsInitiateAsSortedIdList() {
        NegentropyArrayStorage storage = NegentropyArrayStorage.builder().add(20, id(2)).add(10, id(1)).seal();
        byte[] expected = concat(0x61, 0x00, 0x00, 0x02, 0x02, id(1), id(2));
        assertArrayEquals(expected, new Negentropy(storage).initiate());
    }

    @Test
    void nip77ThirtyTwoItemsInitiateAsSixteenFingerprintBucketsWithTimestampBounds() {
        NegentropyArrayStorage storage = sequential(100, 32);
        List<Object> parts = new ArrayList<>();
        parts.add(0x61);
        long last = 0;
        for (int bucket = 0; bucket < 16; bucket++) {
            if (bucket < 15) {
                long ts = 100 + 2 * bucket + 2; // first item of the next bucket; timestamps differ: no id prefix
                parts.add(varint(ts - last + 1));
                parts.add(0x00);
                last = ts;
            } else {
                parts.add(0x00); // infinity
                parts.add(0x00);
            }
            parts.add(0x01);
            parts.add(fingerprint(ids(2 * bucket, 2 * bucket + 2)));
        }
        byte[] expected = concat(parts.toArray());
        assertEquals(Hex.encode(expected), new Negentropy(storage).initiateHex());
        assertEquals(0x67, expected[1] & 0xff, "first bound timestamp 102 encodes as 1 + 102");
    }

    @Test
    void nip77EqualTimestampsSplitOnShortestDistinguishingIdPrefix() {
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        List<byte[]> ids = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            byte[] id = new byte[32];
            id[0] = (byte) 0xaa;
            id[1] = (byte) 0xbb;
            id[2] = (byte) 0xcc;
            id[3] = (byte) i;
            id[31] = (byte) (255 - i);
            ids.add(id);
            b.add(500, id);
        }
        List<Object> parts = new ArrayList<>();
        parts.add(0x61);
        for (int bucket = 0; bucket < 16; bucket++) {
            if (bucket < 15) {
                // timestamp 500 first (1 + 500 = 501), then offset 0 (1); prefix = shared 3 bytes + 1
                parts.add(bucket == 0 ? varint(501) : varint(1));
                parts.add(0x04);
                parts.add(new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc, (byte) (2 * bucket + 2)});
            } else {
                parts.add(0x00);
                parts.add(0x00);
            }
            parts.add(0x01);
            parts.add(fingerprint(ids.subList(2 * bucket, 2 * bucket + 2)));
        }
        assertArrayEquals(concat(parts.toArray()), new Negentropy(b.seal()).initiate());
    }

    @Test
    void nip77IdenticalSetsReconcileInOneRoundTrip() {
        NegentropyArrayStorage storage = sequential(1000, 40);
        Negentropy client = new Negentropy(storage);
        Negentropy server = new Negentropy(storage);
        byte[] reply = server.reconcile(client.initiate());
        assertEquals("61", Hex.encode(reply), "all fingerprints match: only skips, which are left implicit");
        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        assertNull(client.reconcile(reply, have, need));
        assertTrue(have.isEmpty() && need.isEmpty());
    }

    @Test
    void nip77ServerAnswersIdListWithItsOwnIdsAndClientLearnsHaveAndNeed() {
        NegentropyArrayStorage clientItems = NegentropyArrayStorage.builder().add(1, id(1)).add(2, id(2)).add(3, id(3)).seal();
        NegentropyArrayStorage serverItems = NegentropyArrayStorage.builder().add(2, id(2)).add(3, id(3)).add(4, id(4)).seal();
        Negentropy client = new Negentropy(clientItems);
        Negentropy server = new Negentropy(serverItems);

        byte[] query = client.initiate();
        assertArrayEquals(concat(0x61, 0x00, 0x00, 0x02, 0x03, id(1), id(2), id(3)), query);
        byte[] reply = server.reconcile(query);
        assertArrayEquals(concat(0x61, 0x00, 0x00, 0x02, 0x03, id(2), id(3), id(4)), reply);

        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        assertNull(client.reconcile(reply, have, need), "nothing left to ask");
        assertEquals(List.of(Hex.encode(id(1))), have.stream().map(Hex::encode).toList());
        assertEquals(List.of(Hex.encode(id(4))), need.stream().map(Hex::encode).toList());
    }

    @Test
    void nip77ServerSkipsMatchingBucketsAndSplitsTheDifferentOne() {
        NegentropyArrayStorage clientItems = sequential(1000, 64);
        NegentropyArrayStorage.Builder b = NegentropyArrayStorage.builder();
        byte[] changed = id(21);
        changed[31] ^= 0x5a;
        List<byte[]> serverBucket5 = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] id = i == 21 ? changed : id(i);
            b.add(1000 + i, id);
            if (i >= 20 && i < 24) {
                serverBucket5.add(id);
            }
        }
        Negentropy client = new Negentropy(clientItems);
        Negentropy server = new Negentropy(b.seal());

        byte[] reply = server.reconcile(client.initiate());
        // Buckets 0-4 match: one skip up to their end (timestamp 1020 -> 1 + 1020), then bucket 5
        // (4 items, under 32) as an id list up to timestamp 1024 (offset 4 -> 5); later buckets match
        // and their skip stays implicit.
        byte[] expected = concat(0x61, varint(1021), 0x00, 0x00, varint(5), 0x00, 0x02, 0x04, serverBucket5);
        assertEquals(Hex.encode(expected), Hex.encode(reply));
        assertEquals("877d", Hex.encode(varint(1021)));

        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        assertNull(client.reconcile(reply, have, need));
        assertEquals(List.of(Hex.encode(id(21))), have.stream().map(Hex::encode).toList());
        assertEquals(List.of(Hex.encode(changed)), need.stream().map(Hex::encode).toList());
    }

    @Test
    void nip77FrameSizeLimitCutsServerIdListAndFingerprintsTheRest() {
        NegentropyArrayStorage serverItems = sequential(2000, 1000);
        Negentropy server = new Negentropy(serverItems, 4096);
        byte[] reply = server.reconcile(Hex.decode("6100000200"));

        // Ids are added while 1 + 32 * sent <= 4096 - 200: 122 fit. The range then ends at item 122
        // (full 32-byte id) and the rest, [item 122, infinity), is one fingerprint.
        byte[] expected = concat(0x61, varint(2123), 0x20, id(122), 0x02, varint(122), ids(0, 122),
                0x00, 0x00, 0x01, fingerprint(ids(122, 1000)));
        assertEquals(Hex.encode(expected), Hex.encode(reply));
        assertTrue(reply.length <= 4096);

        Negentropy client = new Negentropy(NegentropyArrayStorage.empty(), 4096);
        client.initiate();
        List<byte[]> have = new ArrayList<>();
        List<byte[]> need = new ArrayList<>();
        byte[] next = client.reconcile(reply, have, need);
        assertEquals(122, need.size());
        assertTrue(have.isEmpty());
        // Skip up to item 122, then the empty client's (empty) id list for the rest.
        byte[] expectedNext = concat(0x61, varint(2123), 0x20, id(122), 0x00, 0x00, 0x00, 0x02, 0x00);
        assertEquals(Hex.encode(expectedNext), Hex.encode(next));
    }

    @Test
    void nip77RangesNotReachingInfinityEndWithAnImplicitSkip() {
        Negentropy server = new Negentropy(sequential(2000, 10));
        // One range up to timestamp 2005 (encoded 1 + 2005), id list of 0 ids; nothing after it.
        byte[] reply = server.reconcile(concat(0x61, varint(2006), 0x00, 0x02, 0x00));
        assertArrayEquals(concat(0x61, varint(2006), 0x00, 0x02, 0x05, ids(0, 5)), reply);
    }

    @Test
    void nip77ServerAnswersUnknownFutureVersionWithItsOwnVersionOnly() {
        Negentropy server = new Negentropy(sequential(1, 3));
        assertEquals("61", server.reconcile("62aabbccddeeff"));
        assertEquals("61", server.reconcile("6f"));
        // and still speaks v1 afterwards
        assertEquals("6100000203" + Hex.encode(concat(ids(0, 3))), server.reconcile("6100000200"));
    }

    @Test
    void nip77ClientRefusesUnsupportedVersionAndEveryoneRefusesInvalidVersionBytes() {
        Negentropy client = new Negentropy(sequential(1, 3));
        client.initiate();
        NegentropyException e = assertThrows(NegentropyException.class,
                () -> client.reconcile(Hex.decode("62"), new ArrayList<>(), new ArrayList<>()));
        assertEquals("unsupported protocol version 2 (this side speaks 1)", e.getMessage());
        Negentropy server = new Negentropy(sequential(1, 3));
        for (String bad : List.of("5f", "70", "00", "ff")) {
            assertTrue(assertThrows(NegentropyException.class, () -> server.reconcile(bad)).getMessage()
                    .startsWith("invalid protocol version byte 0x" + bad));
            assertThrows(NegentropyException.class, () -> client.reconcile(bad, new ArrayList<>(), new ArrayList<>()));
        }
    }

    @Test
    void nip77ClientSeesEmptyReplyAsDone() {
        Negentropy client = new Negentropy(sequential(1, 3));
        client.initiate();
        assertNull(client.reconcile("61", new ArrayList<>(), new ArrayList<>()));
    }

    @Test
    void nip77RolesAreEnforced() {
        Negentropy client = new Negentropy(sequential(1, 3));
        client.initiate();
        assertThrows(IllegalStateException.class, client::initiate);
        assertThrows(IllegalStateException.class, () -> client.reconcile(Hex.decode("61")));
        Negentropy server = new Negentropy(sequential(1, 3));
        assertThrows(IllegalStateException.class, () -> server.reconcile(Hex.decode("61"), new ArrayList<>(), new ArrayList<>()));
    }

    @Test
    void nip77FrameSizeLimitIsZeroOrAtLeast4096() {
        NegentropyArrayStorage s = NegentropyArrayStorage.empty();
        assertEquals(0, new Negentropy(s, 0).frameSizeLimit());
        assertEquals(4096, new Negentropy(s, 4096).frameSizeLimit());
        for (long bad : new long[] {1, 4095, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Negentropy(s, bad));
            assertTrue(e.getMessage().contains("at least 4096"), e.getMessage());
        }
    }

    @Test
    void nip77HexMessagesMustBeLowercaseHex() {
        Negentropy server = new Negentropy(sequential(1, 3));
        assertEquals(Hex.encode(server.reconcile(Hex.decode("6100000200"))), server.reconcile("6100000200"));
        assertTrue(assertThrows(NegentropyException.class, () -> server.reconcile("6100000AB")).getMessage()
                .startsWith("message is not lowercase hex"));
        assertThrows(NegentropyException.class, () -> server.reconcile("61000002000"));
        Negentropy client = new Negentropy(sequential(1, 3));
        client.initiate();
        List<String> have = new ArrayList<>();
        List<String> need = new ArrayList<>();
        assertNull(client.reconcile("6100000202" + Hex.encode(id(0)) + Hex.encode(id(7)), have, need));
        assertEquals(List.of(Hex.encode(id(1)), Hex.encode(id(2))), have);
        assertEquals(List.of(Hex.encode(id(7))), need);
    }
}
