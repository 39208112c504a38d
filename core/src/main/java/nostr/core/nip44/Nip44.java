package nostr.core.nip44;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.Mac;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nostr.core.keys.PublicKey;
import nostr.core.keys.SecretKey;

/**
 * NIP-44 version 2 encrypted payloads: secp256k1 ECDH, HKDF-SHA256, ChaCha20, HMAC-SHA256, base64.
 *
 * <p>A conversation key ({@link #conversationKey}) is HKDF-extract of the unhashed ECDH x-coordinate
 * with salt {@code "nip44-v2"}; it is the same in both directions. Each message draws a fresh
 * 32-byte nonce; HKDF-expand of (conversation key, nonce) gives the ChaCha20 key, ChaCha20 nonce and
 * HMAC key. The plaintext is length-prefixed (u16, or 0x0000 + u32 from 65536 bytes on) and zero
 * padded to {@link #paddedLength} before encryption; the MAC covers nonce || ciphertext and is
 * compared in constant time. The payload is base64 (with padding) of
 * {@code 0x02 || nonce || ciphertext || mac}.
 *
 * <p>Every failure is an {@link IllegalArgumentException} whose message starts with the NIP's own
 * wording: {@code unknown encryption version}, {@code invalid payload length}, {@code invalid base64},
 * {@code invalid data length}, {@code invalid MAC}, {@code invalid padding},
 * {@code invalid plaintext length}.
 *
 * <p>The NIP allows plaintexts up to 2^32-1 bytes; a JVM array cannot hold that, so this
 * implementation accepts plaintexts up to {@link #MAX_PLAINTEXT_LENGTH} (1 GiB) and refuses longer
 * payloads before decoding them.
 */
public final class Nip44 {
    /** The only version this class writes and reads. */
    public static final int VERSION = 2;
    /** Smallest plaintext, in bytes (NIP-44 {@code min_plaintext_size}). */
    public static final int MIN_PLAINTEXT_LENGTH = 1;
    /** Largest plaintext this implementation handles, in bytes (the NIP's own maximum is 2^32-1). */
    public static final int MAX_PLAINTEXT_LENGTH = 1 << 30;
    /** Plaintexts at least this long use the 6-byte extended length prefix. */
    static final int EXTENDED_PREFIX_THRESHOLD = 65536;
    /** The NIP's {@code max_plaintext_size}, 2^32-1. */
    static final long SPEC_MAX_PLAINTEXT_LENGTH = 0xffffffffL;

    private static final byte[] SALT = "nip44-v2".getBytes(StandardCharsets.US_ASCII);
    private static final int MIN_PAYLOAD_CHARS = 132;
    private static final int MIN_DATA_BYTES = 99;
    private static final int OVERHEAD = 1 + 32 + 32;
    /** Base64 length of the largest payload we accept: version, nonce, 6-byte prefix, padded max, MAC. */
    private static final long MAX_PAYLOAD_CHARS = 4 * ((OVERHEAD + 6 + paddedLength(MAX_PLAINTEXT_LENGTH) + 2) / 3);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Nip44() {}

    /** The three per-message keys derived from a conversation key and a nonce. */
    record MessageKeys(byte[] chachaKey, byte[] chachaNonce, byte[] hmacKey) {}

    /**
     * The conversation key between {@code me} and {@code peer}: HKDF-extract(salt="nip44-v2",
     * IKM=unhashed ECDH x). Symmetric: {@code conversationKey(a, B)} equals {@code conversationKey(b, A)}.
     *
     * @throws IllegalArgumentException when {@code peer} is not a point on secp256k1
     */
    public static byte[] conversationKey(SecretKey me, PublicKey peer) {
        byte[] sharedX = me.sharedX(peer);
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            return hkdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(sharedX).addSalt(SALT).extractOnly());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 unavailable in this JDK", e);
        } finally {
            Arrays.fill(sharedX, (byte) 0);
        }
    }

    /** Encrypts a UTF-8 string with a fresh random nonce. */
    public static String encrypt(String plaintext, byte[] conversationKey) {
        return encrypt(plaintext, conversationKey, randomNonce());
    }

    /**
     * Encrypts a UTF-8 string with the given nonce. Only for test vectors and interop checks:
     * reusing a nonce with the same conversation key exposes both messages.
     *
     * @throws IllegalArgumentException if the plaintext is empty or too long, holds a lone surrogate
     *     (not encodable as UTF-8), or a key or nonce is not 32 bytes
     */
    public static String encrypt(String plaintext, byte[] conversationKey, byte[] nonce32) {
        return encryptBytes(utf8(plaintext), conversationKey, nonce32);
    }

    /** Encrypts raw bytes with a fresh random nonce. */
    public static String encryptBytes(byte[] plaintext, byte[] conversationKey) {
        return encryptBytes(plaintext, conversationKey, randomNonce());
    }

    /** Encrypts raw bytes with the given nonce (see {@link #encrypt(String, byte[], byte[])}). */
    public static String encryptBytes(byte[] plaintext, byte[] conversationKey, byte[] nonce32) {
        MessageKeys keys = messageKeys(conversationKey, nonce32);
        byte[] padded = pad(plaintext);
        byte[] ciphertext = chacha20(keys, padded);
        Arrays.fill(padded, (byte) 0);
        byte[] mac = hmacAad(keys.hmacKey(), ciphertext, nonce32);
        byte[] out = new byte[OVERHEAD + ciphertext.length];
        out[0] = VERSION;
        System.arraycopy(nonce32, 0, out, 1, 32);
        System.arraycopy(ciphertext, 0, out, 33, ciphertext.length);
        System.arraycopy(mac, 0, out, 33 + ciphertext.length, 32);
        return Base64.getEncoder().encodeToString(out);
    }

    /**
     * Decrypts a payload to a string.
     *
     * @throws IllegalArgumentException naming the problem (version, length, base64, MAC, padding,
     *     or a plaintext that is not valid UTF-8)
     */
    public static String decrypt(String payload, byte[] conversationKey) {
        byte[] plain = decryptBytes(payload, conversationKey);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("nip44 plaintext is not valid UTF-8 (use decryptBytes for binary data)");
        }
    }

    /** Decrypts a payload to raw bytes; see {@link #decrypt}. */
    public static byte[] decryptBytes(String payload, byte[] conversationKey) {
        requireKey(conversationKey);
        if (payload == null || payload.isEmpty()) {
            throw new IllegalArgumentException("invalid payload length: 0");
        }
        if (payload.charAt(0) == '#') {
            throw new IllegalArgumentException("unknown encryption version (payload starts with '#')");
        }
        int plen = payload.length();
        if (plen < MIN_PAYLOAD_CHARS) {
            throw new IllegalArgumentException("invalid payload length: " + plen + " (minimum " + MIN_PAYLOAD_CHARS + ")");
        }
        if (plen > MAX_PAYLOAD_CHARS) {
            throw new IllegalArgumentException("invalid payload length: " + plen + " (maximum " + MAX_PAYLOAD_CHARS
                    + " for a " + MAX_PLAINTEXT_LENGTH + "-byte plaintext)");
        }
        byte[] data;
        try {
            if (plen % 4 != 0) {
                throw new IllegalArgumentException("length is not a multiple of 4");
            }
            data = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid base64: " + e.getMessage());
        }
        int dlen = data.length;
        if (dlen < MIN_DATA_BYTES) {
            throw new IllegalArgumentException("invalid data length: " + dlen + " (minimum " + MIN_DATA_BYTES + ")");
        }
        int version = data[0] & 0xff;
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown encryption version " + version);
        }
        byte[] nonce = Arrays.copyOfRange(data, 1, 33);
        byte[] ciphertext = Arrays.copyOfRange(data, 33, dlen - 32);
        byte[] mac = Arrays.copyOfRange(data, dlen - 32, dlen);
        MessageKeys keys = messageKeys(conversationKey, nonce);
        byte[] expected = hmacAad(keys.hmacKey(), ciphertext, nonce);
        if (!MessageDigest.isEqual(expected, mac)) {
            throw new IllegalArgumentException("invalid MAC");
        }
        byte[] padded = chacha20(keys, ciphertext);
        try {
            return unpad(padded);
        } finally {
            Arrays.fill(padded, (byte) 0);
        }
    }

    /**
     * NIP-44 {@code calc_padded_len}: the length the plaintext is padded to (without the length
     * prefix). 32 for up to 32 bytes; above, multiples of a chunk that is 32 up to 256 bytes and an
     * eighth of the next power of two beyond.
     *
     * @throws IllegalArgumentException if {@code unpaddedLength} is below 1
     */
    public static long paddedLength(long unpaddedLength) {
        if (unpaddedLength < 1) {
            throw new IllegalArgumentException("invalid plaintext length: " + unpaddedLength + " (minimum 1)");
        }
        if (unpaddedLength <= 32) {
            return 32;
        }
        long nextPower = Long.highestOneBit(unpaddedLength - 1) << 1;
        long chunk = nextPower <= 256 ? 32 : nextPower / 8;
        return chunk * ((unpaddedLength - 1) / chunk + 1);
    }

    /** NIP-44 {@code get_message_keys}: HKDF-expand(PRK=conversation key, info=nonce, L=76), sliced 32/12/32. */
    static MessageKeys messageKeys(byte[] conversationKey, byte[] nonce32) {
        requireKey(conversationKey);
        if (nonce32 == null || nonce32.length != 32) {
            throw new IllegalArgumentException("invalid nonce length: nonce must be 32 bytes");
        }
        byte[] okm;
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            okm = hkdf.deriveData(HKDFParameterSpec.expandOnly(new SecretKeySpec(conversationKey, "HKDF-PRK"), nonce32, 76));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 unavailable in this JDK", e);
        }
        MessageKeys keys = new MessageKeys(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 44),
                Arrays.copyOfRange(okm, 44, 76));
        Arrays.fill(okm, (byte) 0);
        return keys;
    }

    /** Length prefix, plaintext, zeros up to {@link #paddedLength}. */
    static byte[] pad(byte[] plaintext) {
        int n = plaintext.length;
        if (n < MIN_PLAINTEXT_LENGTH || n > MAX_PLAINTEXT_LENGTH) {
            throw new IllegalArgumentException("invalid plaintext length: " + n + " bytes (must be between "
                    + MIN_PLAINTEXT_LENGTH + " and " + MAX_PLAINTEXT_LENGTH + ")");
        }
        int prefix = n >= EXTENDED_PREFIX_THRESHOLD ? 6 : 2;
        byte[] out = new byte[prefix + (int) paddedLength(n)];
        if (prefix == 2) {
            out[0] = (byte) (n >>> 8);
            out[1] = (byte) n;
        } else {
            out[2] = (byte) (n >>> 24);
            out[3] = (byte) (n >>> 16);
            out[4] = (byte) (n >>> 8);
            out[5] = (byte) n;
        }
        System.arraycopy(plaintext, 0, out, prefix, n);
        return out;
    }

    /** Reverses {@link #pad}, checking the prefix and that the padding is exactly what pad writes in length. */
    static byte[] unpad(byte[] padded) {
        if (padded.length < 2) {
            throw new IllegalArgumentException("invalid padding: padded plaintext is shorter than its prefix");
        }
        int firstTwo = ((padded[0] & 0xff) << 8) | (padded[1] & 0xff);
        long length;
        int prefix;
        if (firstTwo == 0) {
            if (padded.length < 6) {
                throw new IllegalArgumentException("invalid padding: extended prefix is truncated");
            }
            length = ((long) (padded[2] & 0xff) << 24) | ((padded[3] & 0xff) << 16) | ((padded[4] & 0xff) << 8)
                    | (padded[5] & 0xff);
            if (length < EXTENDED_PREFIX_THRESHOLD) {
                throw new IllegalArgumentException("invalid padding: extended prefix holds length " + length
                        + ", below " + EXTENDED_PREFIX_THRESHOLD);
            }
            prefix = 6;
        } else {
            length = firstTwo;
            prefix = 2;
        }
        if (prefix + length > padded.length) {
            throw new IllegalArgumentException("invalid padding: declared length " + length + " exceeds the message");
        }
        if (padded.length != prefix + paddedLength(length)) {
            throw new IllegalArgumentException("invalid padding: " + (padded.length - prefix)
                    + " padded bytes for a plaintext of " + length + " (expected " + paddedLength(length) + ")");
        }
        return Arrays.copyOfRange(padded, prefix, prefix + (int) length);
    }

    private static byte[] chacha20(MessageKeys keys, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("ChaCha20");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.chachaKey(), "ChaCha20"),
                    new ChaCha20ParameterSpec(keys.chachaNonce(), 0));
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 unavailable in this JDK", e);
        }
    }

    private static byte[] hmacAad(byte[] key, byte[] message, byte[] aad) {
        if (aad.length != 32) {
            throw new IllegalArgumentException("AAD associated data must be 32 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(aad);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }

    private static void requireKey(byte[] conversationKey) {
        if (conversationKey == null || conversationKey.length != 32) {
            throw new IllegalArgumentException("invalid conversation_key length: conversation key must be 32 bytes");
        }
    }

    private static byte[] randomNonce() {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        return nonce;
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
            throw new IllegalArgumentException("nip44 plaintext holds a lone surrogate and cannot be encoded as UTF-8");
        }
    }
}
