package nostr.core.nip49;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03) on top of the JDK's ChaCha20-Poly1305: HChaCha20
 * of the key and the first 16 nonce bytes gives a subkey, which encrypts with the 12-byte nonce
 * {@code 0x00000000 || nonce[16..24]}. Output is ciphertext followed by the 16-byte tag.
 */
final class XChaCha20Poly1305 {
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 24;
    static final int TAG_BYTES = 16;

    private XChaCha20Poly1305() {}

    static byte[] encrypt(byte[] key32, byte[] nonce24, byte[] aad, byte[] plaintext) {
        try {
            return cipher(Cipher.ENCRYPT_MODE, key32, nonce24, aad).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 unavailable in this JDK", e);
        }
    }

    /** @throws AEADBadTagException when the tag does not authenticate (wrong key, nonce, AAD or data) */
    static byte[] decrypt(byte[] key32, byte[] nonce24, byte[] aad, byte[] ciphertextAndTag) throws AEADBadTagException {
        try {
            return cipher(Cipher.DECRYPT_MODE, key32, nonce24, aad).doFinal(ciphertextAndTag);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 unavailable in this JDK", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key32, byte[] nonce24, byte[] aad) throws GeneralSecurityException {
        if (key32.length != KEY_BYTES || nonce24.length != NONCE_BYTES) {
            throw new IllegalArgumentException("XChaCha20-Poly1305 needs a 32-byte key and a 24-byte nonce");
        }
        byte[] subkey = hChaCha20(key32, Arrays.copyOfRange(nonce24, 0, 16));
        byte[] nonce12 = new byte[12];
        System.arraycopy(nonce24, 16, nonce12, 4, 8);
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(mode, new SecretKeySpec(subkey, "ChaCha20"), new IvParameterSpec(nonce12));
        Arrays.fill(subkey, (byte) 0);
        c.updateAAD(aad);
        return c;
    }

    /**
     * HChaCha20: the ChaCha20 block function's 20 rounds over (constants, key, 16-byte nonce) without
     * the final addition; the output is state words 0-3 and 12-15, little-endian.
     */
    static byte[] hChaCha20(byte[] key32, byte[] nonce16) {
        int[] s = new int[16];
        s[0] = 0x61707865;
        s[1] = 0x3320646e;
        s[2] = 0x79622d32;
        s[3] = 0x6b206574;
        for (int i = 0; i < 8; i++) {
            s[4 + i] = Scrypt.le32(key32, 4 * i);
        }
        for (int i = 0; i < 4; i++) {
            s[12 + i] = Scrypt.le32(nonce16, 4 * i);
        }
        for (int round = 0; round < 10; round++) {
            quarter(s, 0, 4, 8, 12);
            quarter(s, 1, 5, 9, 13);
            quarter(s, 2, 6, 10, 14);
            quarter(s, 3, 7, 11, 15);
            quarter(s, 0, 5, 10, 15);
            quarter(s, 1, 6, 11, 12);
            quarter(s, 2, 7, 8, 13);
            quarter(s, 3, 4, 9, 14);
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 4; i++) {
            Scrypt.putLe32(out, 4 * i, s[i]);
            Scrypt.putLe32(out, 16 + 4 * i, s[12 + i]);
        }
        Arrays.fill(s, 0);
        return out;
    }

    private static void quarter(int[] s, int a, int b, int c, int d) {
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 16);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 12);
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 8);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 7);
    }
}
