package nostr.signer.secretservice;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How secrets travel between us and the Secret Service inside one session. The spec defines two
 * algorithms: {@code plain} (no transport encryption; acceptable on a private bus, and the fallback
 * when a service offers nothing else) and {@code dh-ietf1024-sha256-aes128-cbc-pkcs7}: a Diffie-Hellman
 * exchange in the 1024-bit MODP group of RFC 2409 (generator 2), whose shared secret (padded to 128
 * bytes) goes through HKDF-SHA256 without salt or info to a 16-byte AES key; each secret is then
 * AES-128-CBC with PKCS#7 padding and a random IV sent as the Secret's parameters.
 */
public sealed interface TransportCipher {
    String PLAIN = "plain";
    String DH_AES = "dh-ietf1024-sha256-aes128-cbc-pkcs7";

    /** The algorithm name OpenSession was called with. */
    String algorithm();

    /** Parameters and value of a secret as sent to the service. */
    record Sealed(byte[] parameters, byte[] value) {}

    Sealed seal(byte[] plaintext);

    byte[] open(byte[] parameters, byte[] value);

    /** Forgets the session key. */
    void destroy();

    /** No transport encryption. */
    record Plain() implements TransportCipher {
        @Override
        public String algorithm() {
            return PLAIN;
        }

        @Override
        public Sealed seal(byte[] plaintext) {
            return new Sealed(new byte[0], plaintext.clone());
        }

        @Override
        public byte[] open(byte[] parameters, byte[] value) {
            return value.clone();
        }

        @Override
        public void destroy() {}
    }

    /** AES-128-CBC under a key agreed by Diffie-Hellman. */
    final class DhAes implements TransportCipher {
        /** RFC 2409, 6.2: the Second Oakley Group, a 1024-bit safe prime. */
        static final BigInteger PRIME = new BigInteger(
                "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                        + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                        + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", 16);
        static final BigInteger GENERATOR = BigInteger.TWO;
        private static final SecureRandom RANDOM = new SecureRandom();

        private final byte[] aesKey;

        private DhAes(byte[] aesKey) {
            this.aesKey = aesKey;
        }

        /** Our half of the exchange: a fresh key pair whose public value goes to OpenSession. */
        public static final class Offer {
            private final KeyPair pair;

            Offer(KeyPair pair) {
                this.pair = pair;
            }

            /** Our public value, unsigned big-endian as the service expects. */
            public byte[] publicValue() {
                return unsigned(((DHPublicKey) pair.getPublic()).getY());
            }

            /** Completes the exchange with the service's public value. */
            public DhAes complete(byte[] servicePublic) {
                byte[] shared = null;
                try {
                    BigInteger y = new BigInteger(1, servicePublic);
                    if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(PRIME.subtract(BigInteger.ONE)) >= 0) {
                        throw new IllegalArgumentException("Secret Service sent an invalid DH public value");
                    }
                    var peer = KeyFactory.getInstance("DH").generatePublic(new DHPublicKeySpec(y, PRIME, GENERATOR));
                    KeyAgreement ka = KeyAgreement.getInstance("DH");
                    ka.init(pair.getPrivate());
                    ka.doPhase(peer, true);
                    shared = leftPad(ka.generateSecret(), (PRIME.bitLength() + 7) / 8);
                    KDF hkdf = KDF.getInstance("HKDF-SHA256");
                    SecretKey key = hkdf.deriveKey("AES",
                            HKDFParameterSpec.ofExtract().addIKM(shared).thenExpand(new byte[0], 16));
                    return new DhAes(key.getEncoded());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("DH key agreement with the Secret Service failed: " + e.getMessage(), e);
                } finally {
                    if (shared != null) {
                        Arrays.fill(shared, (byte) 0);
                    }
                }
            }
        }

        /** Starts an exchange. */
        public static Offer offer() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("DH");
                g.initialize(new DHParameterSpec(PRIME, GENERATOR), RANDOM);
                return new Offer(g.generateKeyPair());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate a DH key pair: " + e.getMessage(), e);
            }
        }

        @Override
        public String algorithm() {
            return DH_AES;
        }

        @Override
        public Sealed seal(byte[] plaintext) {
            byte[] iv = new byte[16];
            RANDOM.nextBytes(iv);
            try {
                Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
                return new Sealed(iv, c.doFinal(plaintext));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES encryption failed: " + e.getMessage(), e);
            }
        }

        @Override
        public byte[] open(byte[] parameters, byte[] value) {
            if (parameters.length != 16) {
                throw new IllegalArgumentException("Secret Service sent a secret without a 16-byte IV");
            }
            try {
                Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
                c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(parameters));
                return c.doFinal(value);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot decrypt the secret from the Secret Service: " + e.getMessage(), e);
            }
        }

        @Override
        public void destroy() {
            Arrays.fill(aesKey, (byte) 0);
        }

        static byte[] unsigned(BigInteger v) {
            byte[] b = v.toByteArray();
            return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
        }

        static byte[] leftPad(byte[] b, int len) {
            if (b.length >= len) {
                return b;
            }
            byte[] out = new byte[len];
            System.arraycopy(b, 0, out, len - b.length, b.length);
            Arrays.fill(b, (byte) 0);
            return out;
        }
    }
}
