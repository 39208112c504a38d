package nostr.core.nip49;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import nostr.core.keys.SecretKey;
import nostr.core.nip19.Bech32;

/**
 * NIP-49 password-encrypted secret keys ({@code ncryptsec1...}).
 *
 * <p>The password is NFKC-normalized, stretched with scrypt (N = 2^log_n, r = 8, p = 1, 16-byte
 * random salt) into a 32-byte key, which encrypts the 32 raw secret-key bytes with
 * XChaCha20-Poly1305 (24-byte random nonce, the key-security byte as associated data). The bech32
 * payload is {@code 0x02 || log_n || salt || nonce || key_security || ciphertext+tag}, 91 bytes.
 *
 * <p>scrypt needs {@code 1 KiB * 2^log_n} of memory, so an untrusted ncryptsec could ask for
 * gigabytes: {@link #decrypt(String, String)} refuses log_n above {@link #DEFAULT_MAX_LOG_N}, and
 * any log_n whose table would not fit the JVM's maximum heap, before allocating anything.
 */
public final class Nip49 {
    /** The format version byte this class writes and reads. */
    public static final int VERSION = 2;
    /** Key security byte: the key is known to have been handled insecurely. */
    public static final byte KEY_INSECURE = 0x00;
    /** Key security byte: the key is not known to have been handled insecurely. */
    public static final byte KEY_SECURE = 0x01;
    /** Key security byte: the client does not track this. */
    public static final byte KEY_SECURITY_UNKNOWN = 0x02;
    /** Highest log_n {@link #decrypt(String, String)} accepts (4 GiB of scrypt memory, NIP-49's largest example). */
    public static final int DEFAULT_MAX_LOG_N = 22;
    /** The bech32 human-readable part. */
    public static final String HRP = "ncryptsec";

    private static final int SCRYPT_R = 8;
    private static final int SCRYPT_P = 1;
    private static final int SALT_BYTES = 16;
    private static final int PAYLOAD_BYTES = 1 + 1 + SALT_BYTES + XChaCha20Poly1305.NONCE_BYTES + 1 + 32
            + XChaCha20Poly1305.TAG_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Nip49() {}

    /** What an ncryptsec declares before any work is done: its scrypt cost and key-security byte. */
    public record Header(int logN, byte keySecurity) {
        /** Bytes of memory scrypt will need to decrypt it. */
        public long memoryBytes() {
            return Scrypt.memoryBytes(logN, SCRYPT_R);
        }
    }

    /**
     * Encrypts {@code key} under {@code password}.
     *
     * @param logN scrypt cost, 1 to {@link #DEFAULT_MAX_LOG_N} (16 takes about 64 MiB and a fraction of a second)
     * @param keySecurity {@link #KEY_INSECURE}, {@link #KEY_SECURE} or {@link #KEY_SECURITY_UNKNOWN}
     * @return the {@code ncryptsec1...} string
     * @throws IllegalArgumentException for an empty password, one with lone surrogates, a log_n out of
     *     range or beyond the JVM's heap, or an unknown key-security byte
     */
    public static String encrypt(SecretKey key, String password, int logN, byte keySecurity) {
        if (logN < 1 || logN > DEFAULT_MAX_LOG_N) {
            throw new IllegalArgumentException("ncryptsec log_n must be between 1 and " + DEFAULT_MAX_LOG_N + ", got " + logN);
        }
        if (keySecurity < KEY_INSECURE || keySecurity > KEY_SECURITY_UNKNOWN) {
            throw new IllegalArgumentException("ncryptsec key security byte must be 0, 1 or 2, got " + keySecurity);
        }
        char[] pw = normalize(password);
        if (pw.length == 0) {
            throw new IllegalArgumentException("ncryptsec password must not be empty");
        }
        requireMemory(logN);
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[XChaCha20Poly1305.NONCE_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] symmetric = Scrypt.derive(pw, salt, logN, SCRYPT_R, SCRYPT_P, 32);
        Arrays.fill(pw, '\0');
        byte[] secret = key.toBytes();
        byte[] ct;
        try {
            ct = XChaCha20Poly1305.encrypt(symmetric, nonce, new byte[] {keySecurity}, secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(symmetric, (byte) 0);
        }
        byte[] out = new byte[PAYLOAD_BYTES];
        int i = 0;
        out[i++] = VERSION;
        out[i++] = (byte) logN;
        System.arraycopy(salt, 0, out, i, SALT_BYTES);
        i += SALT_BYTES;
        System.arraycopy(nonce, 0, out, i, nonce.length);
        i += nonce.length;
        out[i++] = keySecurity;
        System.arraycopy(ct, 0, out, i, ct.length);
        return Bech32.encode(HRP, out);
    }

    /** Decrypts with the default log_n limit {@link #DEFAULT_MAX_LOG_N}. */
    public static SecretKey decrypt(String ncryptsec, String password) {
        return decrypt(ncryptsec, password, DEFAULT_MAX_LOG_N);
    }

    /**
     * Decrypts an {@code ncryptsec1...} string.
     *
     * @param maxLogN refuse a log_n above this before deriving anything
     * @throws IllegalArgumentException naming the problem: not an ncryptsec, wrong length, unknown
     *     version, log_n over the limit or beyond the JVM's heap, wrong password (or corrupted data),
     *     or a decrypted value that is not a valid secret key
     */
    public static SecretKey decrypt(String ncryptsec, String password, int maxLogN) {
        byte[] data = payload(ncryptsec);
        int logN = data[1] & 0xff;
        if (logN < 1) {
            throw new IllegalArgumentException("ncryptsec log_n must be at least 1");
        }
        if (logN > maxLogN) {
            throw new IllegalArgumentException("ncryptsec log_n " + logN + " exceeds the limit " + maxLogN
                    + " (scrypt would need 2^" + logN + " KiB of memory)");
        }
        requireMemory(logN);
        int i = 2;
        byte[] salt = Arrays.copyOfRange(data, i, i += SALT_BYTES);
        byte[] nonce = Arrays.copyOfRange(data, i, i += XChaCha20Poly1305.NONCE_BYTES);
        byte keySecurity = data[i++];
        byte[] ct = Arrays.copyOfRange(data, i, data.length);
        char[] pw = normalize(password);
        byte[] symmetric = Scrypt.derive(pw, salt, logN, SCRYPT_R, SCRYPT_P, 32);
        Arrays.fill(pw, '\0');
        byte[] secret = null;
        try {
            secret = XChaCha20Poly1305.decrypt(symmetric, nonce, new byte[] {keySecurity}, ct);
            return SecretKey.fromBytes(secret);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("ncryptsec does not decrypt: wrong password or corrupted data");
        } finally {
            Arrays.fill(symmetric, (byte) 0);
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /** Reads the cost and key-security byte of an ncryptsec without decrypting it. */
    public static Header header(String ncryptsec) {
        byte[] data = payload(ncryptsec);
        return new Header(data[1] & 0xff, data[2 + SALT_BYTES + XChaCha20Poly1305.NONCE_BYTES]);
    }

    private static byte[] payload(String ncryptsec) {
        if (ncryptsec == null) {
            throw new IllegalArgumentException("ncryptsec is missing");
        }
        Bech32.Decoded d = Bech32.decode(ncryptsec.strip());
        if (!d.hrp().equals(HRP)) {
            throw new IllegalArgumentException("not an ncryptsec: prefix is '" + d.hrp() + "'");
        }
        byte[] data = d.data();
        if (data.length != PAYLOAD_BYTES) {
            throw new IllegalArgumentException("ncryptsec must hold " + PAYLOAD_BYTES + " bytes, got " + data.length);
        }
        if (data[0] != VERSION) {
            throw new IllegalArgumentException("unsupported ncryptsec version " + (data[0] & 0xff) + " (expected " + VERSION + ")");
        }
        return data;
    }

    /** NFKC-normalized password chars; refuses lone surrogates, which have no UTF-8 encoding. */
    private static char[] normalize(String password) {
        if (password == null) {
            throw new IllegalArgumentException("ncryptsec password is missing");
        }
        String n = Normalizer.normalize(password, Normalizer.Form.NFKC);
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n.length() && Character.isLowSurrogate(n.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("ncryptsec password holds a lone surrogate at index " + i);
            }
        }
        return n.toCharArray();
    }

    private static void requireMemory(int logN) {
        long need = Scrypt.memoryBytes(logN, SCRYPT_R);
        long max = Runtime.getRuntime().maxMemory();
        if (need > max - (16L << 20)) {
            throw new IllegalArgumentException("ncryptsec log_n " + logN + " needs " + (need >> 20)
                    + " MiB of memory, more than this JVM's maximum heap of " + (max >> 20) + " MiB (raise -Xmx)");
        }
    }
}
