package nostr.core.nip04;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;

/**
 * NIP-04 encrypted direct message content (deprecated in favour of NIP-17, still needed to read old
 * messages and for signers that offer it): AES-256-CBC with PKCS#7 padding, the key being the
 * unhashed ECDH x-coordinate, written as {@code base64(ciphertext) + "?iv=" + base64(iv)}.
 *
 * <p>NIP-04 has no MAC: a wrong key usually shows up as bad padding, but not always (about one
 * time in 256 garbage decrypts with valid padding, and then it is usually not UTF-8). Prefer
 * {@link nostr.core.nip44.Nip44}.
 */
public final class Nip04 {
    /** DM event kind NIP-04 defines. */
    public static final int KIND = 4;
    /** Refuse payloads longer than this many characters before decoding (4 MiB of text). */
    public static final int MAX_PAYLOAD_CHARS = 4 << 20;

    private static final String IV_SEPARATOR = "?iv=";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Nip04() {}

    /**
     * Encrypts {@code plaintext} (UTF-8) from {@code sender} to {@code recipient} with a fresh random IV.
     *
     * @throws IllegalArgumentException if the recipient key is not on the curve or the text holds a lone surrogate
     */
    public static String encrypt(String plaintext, SecretKey sender, PublicKey recipient) {
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return encrypt(plaintext, sender, recipient, iv);
    }

    /** Encrypts with the given 16-byte IV (tests and interop checks only: IVs must not repeat). */
    public static String encrypt(String plaintext, SecretKey sender, PublicKey recipient, byte[] iv16) {
        if (iv16 == null || iv16.length != 16) {
            throw new IllegalArgumentException("nip04 IV must be 16 bytes");
        }
        byte[] plain = utf8(plaintext);
        byte[] key = sender.sharedX(recipient);
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv16));
            byte[] ct = c.doFinal(plain);
            Base64.Encoder b64 = Base64.getEncoder();
            return b64.encodeToString(ct) + IV_SEPARATOR + b64.encodeToString(iv16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC unavailable in this JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Decrypts a NIP-04 payload sent between {@code me} and {@code peer} (either direction).
     *
     * @throws IllegalArgumentException naming the problem: missing {@code ?iv=}, invalid base64, IV not
     *     16 bytes, ciphertext not a positive multiple of 16 bytes, bad padding (wrong key or corrupted
     *     message), or a plaintext that is not UTF-8
     */
    public static String decrypt(String payload, SecretKey me, PublicKey peer) {
        if (payload == null || payload.isEmpty()) {
            throw new IllegalArgumentException("nip04 payload is empty");
        }
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            throw new IllegalArgumentException("nip04 payload is " + payload.length() + " characters, over the "
                    + MAX_PAYLOAD_CHARS + " limit");
        }
        int sep = payload.indexOf(IV_SEPARATOR);
        if (sep < 0) {
            throw new IllegalArgumentException("nip04 payload has no '?iv=' part");
        }
        byte[] ct = base64(payload.substring(0, sep), "ciphertext");
        byte[] iv = base64(payload.substring(sep + IV_SEPARATOR.length()), "iv");
        if (iv.length != 16) {
            throw new IllegalArgumentException("nip04 iv must be 16 bytes, got " + iv.length);
        }
        if (ct.length == 0 || ct.length % 16 != 0) {
            throw new IllegalArgumentException("nip04 ciphertext must be a positive multiple of 16 bytes, got " + ct.length);
        }
        byte[] key = me.sharedX(peer);
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            plain = c.doFinal(ct);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new IllegalArgumentException("nip04 bad padding: wrong key or corrupted message");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC unavailable in this JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("nip04 plaintext is not valid UTF-8: wrong key or corrupted message");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] base64(String s, String what) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nip04 " + what + " is not valid base64: " + e.getMessage());
        }
    }

    private static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("nip04 plaintext holds a lone surrogate and cannot be encoded as UTF-8");
        }
    }
}
