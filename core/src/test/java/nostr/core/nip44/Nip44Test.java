package nostr.core.nip44;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import nostr.core.keys.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** NIP-44 v2 behaviour beyond the vector file: "Decryption" steps 1-7 on tampered and malformed input, binary payloads. */
class Nip44Test {
    private final byte[] ck = Nip44.conversationKey(SecretKey.generate(), SecretKey.generate().publicKey());

    @Test
    void nip44RandomNonceDiffersAndRoundTrips() {
        String a = Nip44.encrypt("hi", ck);
        String b = Nip44.encrypt("hi", ck);
        assertNotEquals(a, b);
        assertEquals("hi", Nip44.decrypt(a, ck));
        assertEquals("hi", Nip44.decrypt(b, ck));
    }

    @Test
    void nip44BinaryPlaintextsRoundTripThroughEncryptBytes() {
        byte[] plain = {(byte) 0xff, 0, (byte) 0xc3, 0x28, 1};
        String payload = Nip44.encryptBytes(plain, ck);
        assertArrayEquals(plain, Nip44.decryptBytes(payload, ck));
        assertEquals("nip44 plaintext is not valid UTF-8 (use decryptBytes for binary data)",
                msg(() -> Nip44.decrypt(payload, ck)));
    }

    @Test
    void nip44DecryptRejectsEveryTamperedByte() {
        String payload = Nip44.encrypt("attack at dawn", ck);
        byte[] raw = Base64.getDecoder().decode(payload);
        for (int i = 1; i < raw.length; i++) {
            byte[] t = raw.clone();
            t[i] ^= 0x01;
            assertEquals("invalid MAC", msg(() -> Nip44.decrypt(Base64.getEncoder().encodeToString(t), ck)), "byte " + i);
        }
        byte[] v = raw.clone();
        v[0] = 1;
        assertEquals("unknown encryption version 1", msg(() -> Nip44.decrypt(Base64.getEncoder().encodeToString(v), ck)));
    }

    @Test
    void nip44DecryptRejectsTheWrongConversationKey() {
        String payload = Nip44.encrypt("x", ck);
        byte[] other = ck.clone();
        other[0] ^= 1;
        assertEquals("invalid MAC", msg(() -> Nip44.decrypt(payload, other)));
    }

    @Test
    void nip44DecryptRejectsMalformedBase64() {
        String payload = Nip44.encrypt("x", ck);
        assertTrue(msg(() -> Nip44.decrypt(payload.substring(0, payload.length() - 2) + "!!", ck)).startsWith("invalid base64"));
        // Unpadded base64 is not the NIP's format (RFC 4648 with padding).
        String padded = Nip44.encrypt("x".repeat(40), ck);
        assertTrue(padded.endsWith("="), padded);
        String unpadded = padded.replace("=", "");
        assertTrue(msg(() -> Nip44.decrypt(unpadded, ck)).startsWith("invalid base64"));
        assertEquals("invalid payload length: 0", msg(() -> Nip44.decrypt(null, ck)));
    }

    @Test
    void nip44KeyAndNonceLengthsAreChecked() {
        assertEquals("invalid conversation_key length: conversation key must be 32 bytes",
                msg(() -> Nip44.encrypt("x", new byte[31])));
        assertEquals("invalid conversation_key length: conversation key must be 32 bytes",
                msg(() -> Nip44.decrypt("A".repeat(132), null)));
        assertEquals("invalid nonce length: nonce must be 32 bytes", msg(() -> Nip44.encrypt("x", ck, new byte[24])));
        assertEquals("nip44 plaintext holds a lone surrogate and cannot be encoded as UTF-8",
                msg(() -> Nip44.encrypt("\udc00", ck)));
    }

    @Test
    void nip44UnpadRejectsInconsistentPrefixes() {
        byte[] padded = Nip44.pad(new byte[] {'a', 'b', 'c'});
        assertEquals(34, padded.length);
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, Nip44.unpad(padded));
        byte[] zeroLength = padded.clone();
        zeroLength[1] = 0;
        assertTrue(msg(() -> Nip44.unpad(zeroLength)).startsWith("invalid padding: declared length"));
        byte[] tooLong = padded.clone();
        tooLong[1] = 33;
        assertTrue(msg(() -> Nip44.unpad(tooLong)).startsWith("invalid padding: declared length 33 exceeds"));
        byte[] wrongPad = java.util.Arrays.copyOf(padded, 66);
        assertTrue(msg(() -> Nip44.unpad(wrongPad)).startsWith("invalid padding: 64 padded bytes for a plaintext of 3"));
        byte[] extended = new byte[6 + 32];
        extended[5] = 5;
        assertTrue(msg(() -> Nip44.unpad(extended)).startsWith("invalid padding: extended prefix holds length 5"));
    }

    @Test
    void nip44PaddedLengthUsesLongArithmeticNearTheSpecMaximum() {
        // 44.md: calc_padded_len can return up to 2^32, beyond u32.
        assertEquals(1L << 32, Nip44.paddedLength(Nip44.SPEC_MAX_PLAINTEXT_LENGTH));
        assertEquals(1L << 31, Nip44.paddedLength((1L << 31) - 5));
        assertTrue(msg(() -> Nip44.paddedLength(0)).startsWith("invalid plaintext length: 0"));
    }

    private static String msg(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
