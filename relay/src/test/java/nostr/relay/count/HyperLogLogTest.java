package nostr.relay.count;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import nostr.core.keys.SecretKey;
import nostr.relay.testing.NostrToolsHll;
import org.junit.jupiter.api.Test;

/**
 * NIP-45 "HyperLogLog": the offset computation ("take the character at position 32 ... add 8")
 * and the register update ("the byte at position offset ... the number of leading zero bits
 * starting at position offset+1 ... add 1 ... if the new number is bigger, store it"), each against
 * an oracle written here from the NIP's words, and against nostr-tools.
 */
class HyperLogLogTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The NIP's register update for one pubkey, with big-integer arithmetic instead of bit loops. */
    private static int[] oracle(int offset, List<byte[]> pubkeys) {
        int[] r = new int[256];
        for (byte[] pk : pubkeys) {
            int index = pk[offset] & 0xff;
            byte[] rest = Arrays.copyOfRange(pk, offset + 1, 32);
            int bits = rest.length * 8;
            int zeros = bits - new BigInteger(1, rest).bitLength();
            r[index] = Math.max(r[index], zeros + 1);
        }
        return r;
    }

    private static String sha256Hex(String s) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void nip45OffsetIsTheHexDigitAtPosition32PlusEight() throws Exception {
        String id = "0".repeat(32) + "f" + "0".repeat(31);
        assertEquals(15 + 8, HyperLogLog.offset(id));
        assertEquals(8, HyperLogLog.offset("f".repeat(32) + "0" + "f".repeat(31)));
        String pk = "1".repeat(32) + "a" + "1".repeat(31);
        assertEquals(10 + 8, HyperLogLog.offset("30023:" + pk + ":slug"), "an address uses its pubkey");
        assertEquals(10 + 8, HyperLogLog.offset("30023:" + pk + ":a:d-tag:with:colons"), "the d tag may hold colons (NIP text)");
        String other = "bitcoin";
        assertEquals(Character.digit(sha256Hex(other).charAt(32), 16) + 8, HyperLogLog.offset(other));
        String upper = id.toUpperCase();
        assertEquals(Character.digit(sha256Hex(upper).charAt(32), 16) + 8, HyperLogLog.offset(upper),
                "only lowercase hex is an id; anything else is hashed");
    }

    @Test
    void nip45RegistersFollowTheNipsUpdateRule() {
        Random random = new Random(45);
        for (int offset = 8; offset <= 23; offset++) {
            List<byte[]> pubkeys = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] pk = new byte[32];
                random.nextBytes(pk);
                // Runs of zero bytes after the offset, up to the end of the key.
                int zeroBytes = i % 40 == 0 ? 31 - offset : i % 7;
                for (int z = 0; z < zeroBytes && offset + 1 + z < 32; z++) {
                    pk[offset + 1 + z] = 0;
                }
                pubkeys.add(pk);
            }
            HyperLogLog hll = new HyperLogLog(offset);
            pubkeys.forEach(hll::add);
            assertEquals(Arrays.toString(oracle(offset, pubkeys)), Arrays.toString(hll.registers()), "offset " + offset);
            StringBuilder hex = new StringBuilder();
            for (int v : oracle(offset, pubkeys)) {
                hex.append(String.format("%02x", v));
            }
            assertEquals(hex.toString(), hll.hex());
        }
    }

    @Test
    void nip45RegistersKeepTheMaximumAndAreIndependentOfOrder() {
        List<byte[]> pubkeys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pubkeys.add(HEX.parseHex(SecretKey.generate().publicKey().hex()));
        }
        HyperLogLog forward = new HyperLogLog(12);
        pubkeys.forEach(forward::add);
        HyperLogLog backward = new HyperLogLog(12);
        for (int i = pubkeys.size() - 1; i >= 0; i--) {
            backward.add(pubkeys.get(i));
            backward.add(pubkeys.get(i));
        }
        assertEquals(forward.hex(), backward.hex());
        assertEquals(512, forward.hex().length(), "256 registers, one byte each, hex");
    }

    @Test
    void nip45RegistersEqualNostrToolsForRealKeys() {
        List<String> pubkeys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pubkeys.add(SecretKey.generate().publicKey().hex());
        }
        for (String value : List.of(SecretKey.generate().publicKey().hex(), "hashtag",
                "30023:" + SecretKey.generate().publicKey().hex() + ":slug")) {
            NostrToolsHll.Result theirs = NostrToolsHll.compute(value, pubkeys);
            HyperLogLog ours = new HyperLogLog(HyperLogLog.offset(value));
            pubkeys.forEach(pk -> ours.add(HEX.parseHex(pk)));
            assertEquals(theirs.offset(), ours.offset(), value);
            assertEquals(theirs.hll(), ours.hex(), value);
        }
    }

    @Test
    void nip45BadArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HyperLogLog(31));
        assertThrows(IllegalArgumentException.class, () -> new HyperLogLog(-1));
        assertThrows(IllegalArgumentException.class, () -> new HyperLogLog(8).add(new byte[31]));
    }
}
