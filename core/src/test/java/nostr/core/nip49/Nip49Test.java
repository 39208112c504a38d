package nostr.core.nip49;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import nostr.core.Hex;
import nostr.core.keys.SecretKey;
import nostr.core.nip19.Bech32;
import nostr.core.testing.JsonTree;
import nostr.core.testing.Repo;
import org.junit.jupiter.api.Test;

/**
 * NIP-49 "Test Data" (password normalization, the decryption example; vectors/nostr/nip49-vectors.json),
 * the scrypt vectors of RFC 7914 section 12, and the XChaCha20-Poly1305 vectors of
 * draft-irtf-cfrg-xchacha-03 (2.2.1 HChaCha20, A.3.1 AEAD).
 */
class Nip49Test {
    private static final Map<String, Object> VECTORS = JsonTree.object(Repo.vector("nostr/nip49-vectors.json"));

    @Test
    void nip49DecryptsTheExampleOfTheNip() {
        Map<String, Object> v = JsonTree.at(VECTORS, "decrypt", 0);
        SecretKey key = Nip49.decrypt((String) v.get("ncryptsec"), (String) v.get("password"));
        assertEquals(v.get("privkey_hex"), key.toHex());
        assertEquals(16L, v.get("log_n"));
        assertEquals(16, Nip49.header((String) v.get("ncryptsec")).logN());
    }

    @Test
    void nip49ExampleWithTheWrongPasswordIsRefused() {
        String ncryptsec = JsonTree.at(VECTORS, "decrypt", 0, "ncryptsec");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(ncryptsec, "nostr!"));
        assertEquals("ncryptsec does not decrypt: wrong password or corrupted data", e.getMessage());
    }

    @Test
    void nip49PasswordIsNfkcNormalizedAsTheTestDataSays() {
        Map<String, Object> v = JsonTree.at(VECTORS, "password_normalization", 0);
        String input = (String) v.get("input");
        assertEquals(v.get("input_utf8_hex"), Hex.encode(input.getBytes(StandardCharsets.UTF_8)));
        SecretKey key = SecretKey.generate();
        // Encrypted under the unnormalized form, decrypts under the normalized form and vice versa.
        String enc = Nip49.encrypt(key, input, 4, Nip49.KEY_SECURE);
        String nfkc = new String(Hex.decode((String) v.get("nfkc_utf8_hex")), StandardCharsets.UTF_8);
        assertEquals(key.toHex(), Nip49.decrypt(enc, nfkc).toHex());
        assertEquals(key.toHex(), Nip49.decrypt(Nip49.encrypt(key, nfkc, 4, Nip49.KEY_SECURE), input).toHex());
    }

    @Test
    void nip49EncryptRoundTripsAndIs91Bytes() {
        SecretKey key = SecretKey.generate();
        String a = Nip49.encrypt(key, "correct horse", 5, Nip49.KEY_SECURITY_UNKNOWN);
        String b = Nip49.encrypt(key, "correct horse", 5, Nip49.KEY_SECURITY_UNKNOWN);
        assertTrue(a.startsWith("ncryptsec1"));
        assertNotEquals(a, b, "salt and nonce are random");
        assertEquals(91, Bech32.decode(a).data().length);
        assertEquals(new Nip49.Header(5, Nip49.KEY_SECURITY_UNKNOWN), Nip49.header(a));
        assertEquals(key.toHex(), Nip49.decrypt(a, "correct horse").toHex());
        assertEquals(key.toHex(), Nip49.decrypt(b, "correct horse").toHex());
    }

    @Test
    void nip49KeySecurityByteIsAuthenticated() {
        SecretKey key = SecretKey.generate();
        byte[] data = Bech32.decode(Nip49.encrypt(key, "pw", 3, Nip49.KEY_SECURE)).data();
        data[42] = Nip49.KEY_INSECURE;
        assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(Bech32.encode("ncryptsec", data), "pw"));
    }

    @Test
    void nip49RefusesAbsurdLogNBeforeAllocating() {
        SecretKey key = SecretKey.generate();
        byte[] data = Bech32.decode(Nip49.encrypt(key, "pw", 3, Nip49.KEY_SECURE)).data();
        data[1] = (byte) 40;
        String forged = Bech32.encode("ncryptsec", data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(forged, "pw"));
        assertEquals("ncryptsec log_n 40 exceeds the limit 22 (scrypt would need 2^40 KiB of memory)", e.getMessage());
        data[1] = (byte) 20;
        String costly = Bech32.encode("ncryptsec", data);
        e = assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(costly, "pw", 18));
        assertTrue(e.getMessage().startsWith("ncryptsec log_n 20 exceeds the limit 18"), e.getMessage());
        data[1] = 0;
        String zero = Bech32.encode("ncryptsec", data);
        assertEquals("ncryptsec log_n must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(zero, "pw")).getMessage());
    }

    @Test
    void nip49RefusesLogNBeyondTheHeap() {
        // 22 is within the default limit but needs 4 GiB; surefire's JVM has less unless -Xmx says otherwise.
        long max = Runtime.getRuntime().maxMemory();
        SecretKey key = SecretKey.generate();
        byte[] data = Bech32.decode(Nip49.encrypt(key, "pw", 3, Nip49.KEY_SECURE)).data();
        int logN = 63 - Long.numberOfLeadingZeros(max) - 9; // 2^(logN+10) bytes > max
        data[1] = (byte) logN;
        String forged = Bech32.encode("ncryptsec", data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(forged, "pw", 40));
        assertTrue(e.getMessage().contains("more than this JVM's maximum heap"), e.getMessage());
    }

    @Test
    void nip49MalformedInputsAreRefusedWithAReason() {
        SecretKey key = SecretKey.generate();
        String good = Nip49.encrypt(key, "pw", 3, Nip49.KEY_SECURE);
        byte[] data = Bech32.decode(good).data();
        assertEquals("not an ncryptsec: prefix is 'nsec'",
                assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(key.toNsec(), "pw")).getMessage());
        assertEquals("ncryptsec must hold 91 bytes, got 90", assertThrows(IllegalArgumentException.class,
                () -> Nip49.decrypt(Bech32.encode("ncryptsec", java.util.Arrays.copyOf(data, 90)), "pw")).getMessage());
        byte[] v1 = data.clone();
        v1[0] = 1;
        assertEquals("unsupported ncryptsec version 1 (expected 2)", assertThrows(IllegalArgumentException.class,
                () -> Nip49.decrypt(Bech32.encode("ncryptsec", v1), "pw")).getMessage());
        String badChecksum = good.substring(0, good.length() - 1) + (good.endsWith("q") ? "p" : "q");
        assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(badChecksum, "pw"));
        byte[] flipped = data.clone();
        flipped[60] ^= 1;
        assertEquals("ncryptsec does not decrypt: wrong password or corrupted data", assertThrows(
                IllegalArgumentException.class, () -> Nip49.decrypt(Bech32.encode("ncryptsec", flipped), "pw")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(null, "pw"));
        assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(good, null));
        assertThrows(IllegalArgumentException.class, () -> Nip49.decrypt(good, "p\ud800w"));
    }

    @Test
    void nip49EncryptRefusesBadParameters() {
        SecretKey key = SecretKey.generate();
        assertEquals("ncryptsec log_n must be between 1 and 22, got 0",
                assertThrows(IllegalArgumentException.class, () -> Nip49.encrypt(key, "pw", 0, Nip49.KEY_SECURE)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nip49.encrypt(key, "pw", 23, Nip49.KEY_SECURE));
        assertEquals("ncryptsec key security byte must be 0, 1 or 2, got 3",
                assertThrows(IllegalArgumentException.class, () -> Nip49.encrypt(key, "pw", 4, (byte) 3)).getMessage());
        assertEquals("ncryptsec password must not be empty",
                assertThrows(IllegalArgumentException.class, () -> Nip49.encrypt(key, "", 4, Nip49.KEY_SECURE)).getMessage());
        assertEquals("ncryptsec password holds a lone surrogate at index 1",
                assertThrows(IllegalArgumentException.class, () -> Nip49.encrypt(key, "a\udc00", 4, Nip49.KEY_SECURE)).getMessage());
    }

    /** RFC 7914 section 12, the vectors with a non-empty salt (the JDK's PBKDF2 refuses an empty one). */
    @Test
    void scryptMatchesRfc7914Vectors() {
        assertEquals("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
                Hex.encode(Scrypt.derive("password".toCharArray(), "NaCl".getBytes(StandardCharsets.US_ASCII), 10, 8, 16, 64)));
        assertEquals("7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887",
                Hex.encode(Scrypt.derive("pleaseletmein".toCharArray(), "SodiumChloride".getBytes(StandardCharsets.US_ASCII), 14, 8, 1, 64)));
    }

    /** RFC 7914 section 8: the Salsa20/8 core vector. */
    @Test
    void salsa8MatchesRfc7914Vector() {
        byte[] in = Hex.decode("7e879a214f3ec9867ca940e641718f26baee555b8c61c1b50df846116dcd3b1dee24f319df9b3d8514121e4b5ac5aa3276021d2909c74829edebc68db8b8c25e");
        int[] w = new int[16];
        for (int i = 0; i < 16; i++) {
            w[i] = Scrypt.le32(in, 4 * i);
        }
        Scrypt.salsa8(w);
        byte[] out = new byte[64];
        for (int i = 0; i < 16; i++) {
            Scrypt.putLe32(out, 4 * i, w[i]);
        }
        assertEquals("a41f859c6608cc993b81cacb020cef05044b2181a2fd337dfd7b1c6396682f29b4393168e3c9e6bcfe6bc5b7a06d96bae424cc102c91745c24ad673dc7618f81",
                Hex.encode(out));
    }

    @Test
    void hChaCha20MatchesDraftVector() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        assertEquals("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
                Hex.encode(XChaCha20Poly1305.hChaCha20(key, Hex.decode("000000090000004a0000000031415927"))));
    }

    @Test
    void xChaCha20Poly1305MatchesDraftAeadVector() throws Exception {
        byte[] key = Hex.decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Hex.decode("404142434445464748494a4b4c4d4e4f5051525354555657");
        byte[] aad = Hex.decode("50515253c0c1c2c3c4c5c6c7");
        byte[] plain = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        String expected = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
                + "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921"
                + "f9664c97637da9768812f615c68b13b52e" + "c0875924c1c7987947deafd8780acf49";
        byte[] ct = XChaCha20Poly1305.encrypt(key, nonce, aad, plain);
        assertEquals(expected, Hex.encode(ct));
        assertArrayEquals(plain, XChaCha20Poly1305.decrypt(key, nonce, aad, ct));
        ct[0] ^= 1;
        assertThrows(javax.crypto.AEADBadTagException.class, () -> XChaCha20Poly1305.decrypt(key, nonce, aad, ct));
    }
}
