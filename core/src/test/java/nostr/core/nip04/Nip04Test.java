package nostr.core.nip04;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;

/** NIP-04 content format ({@code base64(ct)?iv=base64(iv)}, AES-256-CBC on the unhashed ECDH x) and its failure modes. */
class Nip04Test {
    private final SecretKey alice = SecretKey.generate();
    private final SecretKey bob = SecretKey.generate();

    @Test
    void nip04RoundTripsInBothDirections() {
        String text = "hello \u00e9 \ud83e\udd84 \"quoted\"\n";
        String payload = Nip04.encrypt(text, alice, bob.publicKey());
        assertTrue(payload.matches("[A-Za-z0-9+/]+=*\\?iv=[A-Za-z0-9+/]{22}=="), payload);
        assertEquals(text, Nip04.decrypt(payload, bob, alice.publicKey()));
        assertEquals(text, Nip04.decrypt(payload, alice, bob.publicKey()), "the sender can read its own message");
        assertNotEquals(payload, Nip04.encrypt(text, alice, bob.publicKey()), "fresh IV each time");
    }

    @Test
    void nip04CiphertextIsPkcs7PaddedAesBlocks() {
        byte[] iv = new byte[16];
        String payload = Nip04.encrypt("0123456789abcdef", alice, bob.publicKey(), iv);
        byte[] ct = Base64.getDecoder().decode(payload.substring(0, payload.indexOf('?')));
        assertEquals(32, ct.length, "16 bytes of text plus a full block of padding");
        assertTrue(payload.endsWith("?iv=AAAAAAAAAAAAAAAAAAAAAA=="));
    }

    @Test
    void nip04WrongKeyIsACleanError() {
        SecretKey eve = SecretKey.generate();
        String payload = Nip04.encrypt("a secret that is long enough to span blocks", alice, bob.publicKey());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nip04.decrypt(payload, eve, alice.publicKey()));
        assertTrue(e.getMessage().startsWith("nip04 "), e.getMessage());
        assertTrue(e.getMessage().contains("wrong key or corrupted message"), e.getMessage());
    }

    @Test
    void nip04MalformedPayloadsAreRefusedWithAReason() {
        PublicKey a = alice.publicKey();
        String good = Nip04.encrypt("hi", alice, bob.publicKey());
        String ct = good.substring(0, good.indexOf('?'));
        assertEquals("nip04 payload is empty", msg(() -> Nip04.decrypt("", bob, a)));
        assertEquals("nip04 payload has no '?iv=' part", msg(() -> Nip04.decrypt(ct, bob, a)));
        assertTrue(msg(() -> Nip04.decrypt("@@@@?iv=AAAAAAAAAAAAAAAAAAAAAA==", bob, a))
                .startsWith("nip04 ciphertext is not valid base64"));
        assertTrue(msg(() -> Nip04.decrypt(ct + "?iv=%%", bob, a)).startsWith("nip04 iv is not valid base64"));
        assertEquals("nip04 iv must be 16 bytes, got 3", msg(() -> Nip04.decrypt(ct + "?iv=AAAA", bob, a)));
        assertEquals("nip04 ciphertext must be a positive multiple of 16 bytes, got 3",
                msg(() -> Nip04.decrypt("AAAA?iv=AAAAAAAAAAAAAAAAAAAAAA==", bob, a)));
        assertEquals("nip04 ciphertext must be a positive multiple of 16 bytes, got 0",
                msg(() -> Nip04.decrypt("?iv=AAAAAAAAAAAAAAAAAAAAAA==", bob, a)));
        byte[] raw = Base64.getDecoder().decode(ct);
        raw[raw.length - 1] ^= 0x55;
        String tampered = Base64.getEncoder().encodeToString(raw) + good.substring(good.indexOf('?'));
        assertTrue(msg(() -> Nip04.decrypt(tampered, bob, a)).contains("wrong key or corrupted message"));
        assertTrue(msg(() -> Nip04.decrypt("A".repeat(Nip04.MAX_PAYLOAD_CHARS + 4), bob, a)).contains("over the"));
        assertEquals("nip04 plaintext holds a lone surrogate and cannot be encoded as UTF-8",
                msg(() -> Nip04.encrypt("x\ud800", alice, bob.publicKey())));
        assertEquals("nip04 IV must be 16 bytes", msg(() -> Nip04.encrypt("x", alice, bob.publicKey(), new byte[8])));
    }

    @Test
    void nip04RefusesAPeerKeyOffTheCurve() {
        PublicKey offCurve = new PublicKey("ff".repeat(32));
        assertEquals("invalid key for ECDH", msg(() -> Nip04.encrypt("x", alice, offCurve)));
    }

    private static String msg(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
