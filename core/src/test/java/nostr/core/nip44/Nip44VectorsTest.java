package nostr.core.nip44;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nostr.core.Hex;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import nostr.core.testing.JsonTree;
import nostr.core.testing.Repo;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the official NIP-44 v2 vector file (vectors/nip44/nip44.vectors.json, sha256
 * 269ed0f6... as pinned in 44.md "Tests and code"), plus the "Extended length prefix test vectors"
 * table of 44.md.
 */
class Nip44VectorsTest {
    private static final Map<String, Object> V2 = JsonTree.at(JsonTree.parse(Repo.vector("nip44/nip44.vectors.json")), "v2");

    private static List<Map<String, Object>> cases(String... path) {
        return JsonTree.at(V2, (Object[]) path);
    }

    private static String sha256Hex(byte[] b) throws Exception {
        return Hex.encode(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void nip44VectorFileIsTheOnePinnedBy44md() throws Exception {
        assertEquals("269ed0f69e4c192512cc779e78c555090cebc7c785b609e338a62afc3ce25040",
                sha256Hex(Repo.vector("nip44/nip44.vectors.json").getBytes(StandardCharsets.UTF_8)));
    }

    @TestFactory
    Stream<DynamicTest> nip44ValidGetConversationKey() {
        List<Map<String, Object>> cases = cases("valid", "get_conversation_key");
        assertEquals(35, cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest("conversation key of " + c.get("pub2"), () -> {
            SecretKey sec1 = SecretKey.parse((String) c.get("sec1"));
            byte[] key = Nip44.conversationKey(sec1, new PublicKey((String) c.get("pub2")));
            assertEquals(c.get("conversation_key"), Hex.encode(key));
        }));
    }

    @TestFactory
    Stream<DynamicTest> nip44ValidGetMessageKeys() {
        Map<String, Object> block = JsonTree.at(V2, "valid", "get_message_keys");
        byte[] ck = Hex.decode((String) block.get("conversation_key"));
        List<Map<String, Object>> keys = JsonTree.at(block, "keys");
        assertEquals(32, keys.size());
        return keys.stream().map(k -> DynamicTest.dynamicTest("message keys for nonce " + k.get("nonce"), () -> {
            Nip44.MessageKeys m = Nip44.messageKeys(ck, Hex.decode((String) k.get("nonce")));
            assertEquals(k.get("chacha_key"), Hex.encode(m.chachaKey()));
            assertEquals(k.get("chacha_nonce"), Hex.encode(m.chachaNonce()));
            assertEquals(k.get("hmac_key"), Hex.encode(m.hmacKey()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> nip44ValidCalcPaddedLen() {
        List<List<Long>> cases = JsonTree.at(V2, "valid", "calc_padded_len");
        assertEquals(24, cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get(0) + " pads to " + c.get(1),
                () -> assertEquals(c.get(1).longValue(), Nip44.paddedLength(c.get(0)))));
    }

    @TestFactory
    Stream<DynamicTest> nip44ValidEncryptDecrypt() {
        List<Map<String, Object>> cases = cases("valid", "encrypt_decrypt");
        assertEquals(10, cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest("encrypt/decrypt " + c.get("payload").toString().substring(0, 16), () -> {
            SecretKey sec1 = SecretKey.parse((String) c.get("sec1"));
            SecretKey sec2 = SecretKey.parse((String) c.get("sec2"));
            byte[] ck = Nip44.conversationKey(sec1, sec2.publicKey());
            assertEquals(c.get("conversation_key"), Hex.encode(ck));
            String payload = Nip44.encrypt((String) c.get("plaintext"), ck, Hex.decode((String) c.get("nonce")));
            assertEquals(c.get("payload"), payload);
            byte[] ckBack = Nip44.conversationKey(sec2, sec1.publicKey());
            assertArrayEquals(ck, ckBack);
            assertEquals(c.get("plaintext"), Nip44.decrypt(payload, ckBack));
        }));
    }

    @TestFactory
    Stream<DynamicTest> nip44ValidEncryptDecryptLongMessages() {
        List<Map<String, Object>> cases = cases("valid", "encrypt_decrypt_long_msg");
        assertEquals(3, cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest("long message of '" + c.get("pattern") + "' x " + c.get("repeat"), () -> {
            String plaintext = ((String) c.get("pattern")).repeat(((Long) c.get("repeat")).intValue());
            assertEquals(c.get("plaintext_sha256"), sha256Hex(plaintext.getBytes(StandardCharsets.UTF_8)));
            byte[] ck = Hex.decode((String) c.get("conversation_key"));
            String payload = Nip44.encrypt(plaintext, ck, Hex.decode((String) c.get("nonce")));
            assertEquals(c.get("payload_sha256"), sha256Hex(payload.getBytes(StandardCharsets.US_ASCII)));
            assertEquals(plaintext, Nip44.decrypt(payload, ck));
        }));
    }

    /** 44.md "Extended length prefix test vectors": the u16 / u32 prefix boundary. */
    @TestFactory
    Stream<DynamicTest> nip44ExtendedLengthPrefixVectors() {
        byte[] ck = Hex.decode("c41c775356fd92eadc63ff5a0dc1da211b268cbea22316767095b2871ea1412d");
        byte[] nonce = Hex.decode("0000000000000000000000000000000000000000000000000000000000000001");
        record Row(int length, int paddedLength, String plaintextSha256, String payloadSha256) {}
        List<Row> rows = List.of(
                new Row(65535, 65536, "6e1bebca6a8229364a162a72ef064826c4cd7457bf54f190ef782bd9deff3e42",
                        "6d8c2810d1e870fbaa1f0a0937126cca837a15f9260e27060c331d70a3c0bc84"),
                new Row(65536, 65536, "bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a",
                        "b7b4edb36ba92e267d322d56d9aebc22e7fa96ff52e3c12adc07f07a43cbc616"),
                new Row(65537, 81920, "008ffc88d3c96a9f307524eb361e47c5222a887fc45fa0c1fb8d429c5c23b430",
                        "eeb7c7c5373894ea2c1547cfd3ccb15d5a0b2d619da852e5c79df792dcc9e435"));
        return rows.stream().map(r -> DynamicTest.dynamicTest("plaintext of " + r.length() + " bytes", () -> {
            String plaintext = "a".repeat(r.length());
            assertEquals(r.plaintextSha256(), sha256Hex(plaintext.getBytes(StandardCharsets.UTF_8)));
            assertEquals(r.paddedLength(), Nip44.paddedLength(r.length()));
            String payload = Nip44.encrypt(plaintext, ck, nonce);
            assertEquals(r.payloadSha256(), sha256Hex(payload.getBytes(StandardCharsets.US_ASCII)));
            int prefix = r.length() >= 65536 ? 6 : 2;
            assertEquals(65 + prefix + r.paddedLength(), java.util.Base64.getDecoder().decode(payload).length);
            assertEquals(plaintext, Nip44.decrypt(payload, ck));
        }));
    }

    /**
     * invalid.encrypt_msg_lengths lists [0, 65536, 100000, 10000000]. The vector file predates the
     * extended length prefix that 44.md now defines (plaintexts up to 2^32-1 bytes), under which only
     * 0 is still invalid; nostr-tools 2.25.2 follows the current text too. So: 0 must fail, the
     * others must round-trip with the 6-byte prefix.
     */
    @Test
    void nip44InvalidEncryptMessageLengths() {
        List<Long> lengths = JsonTree.at(V2, "invalid", "encrypt_msg_lengths");
        assertEquals(List.of(0L, 65536L, 100000L, 10000000L), lengths);
        byte[] ck = new byte[32];
        ck[31] = 7;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nip44.encrypt("", ck));
        assertTrue(e.getMessage().startsWith("invalid plaintext length: 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nip44.encryptBytes(new byte[0], ck));
        for (long n : lengths.subList(1, lengths.size())) {
            byte[] plain = new byte[(int) n];
            java.util.Arrays.fill(plain, (byte) 'z');
            String payload = Nip44.encryptBytes(plain, ck);
            byte[] raw = java.util.Base64.getDecoder().decode(payload);
            assertEquals(65 + 6 + Nip44.paddedLength(n), raw.length, "extended prefix for " + n);
            assertArrayEquals(plain, Nip44.decryptBytes(payload, ck));
        }
    }

    @TestFactory
    Stream<DynamicTest> nip44InvalidGetConversationKey() {
        List<Map<String, Object>> cases = cases("invalid", "get_conversation_key");
        assertEquals(8, cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("note"), () -> {
            // Either the secret key or the public key is invalid; both must be refused before any derivation.
            assertThrows(IllegalArgumentException.class, () -> Nip44.conversationKey(
                    SecretKey.fromBytes(Hex.decode((String) c.get("sec1"))), new PublicKey((String) c.get("pub2"))));
        }));
    }

    @TestFactory
    Stream<DynamicTest> nip44InvalidDecrypt() {
        List<Map<String, Object>> cases = cases("invalid", "decrypt");
        assertEquals(12, cases.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : cases) {
            String note = (String) c.get("note");
            tests.add(DynamicTest.dynamicTest(note, () -> {
                byte[] ck = Hex.decode((String) c.get("conversation_key"));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Nip44.decrypt((String) c.get("payload"), ck));
                assertTrue(e.getMessage().startsWith(note), "expected '" + note + "', got '" + e.getMessage() + "'");
            }));
        }
        return tests.stream();
    }
}
