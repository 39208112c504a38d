package nostr.relay.store.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The indexed form of a tag value (and of an addressable event's d tag): its UTF-8 bytes when they
 * are at most {@value #MAX_RAW} long, else the byte 0xFF followed by their SHA-256.
 *
 * <p>Why: a btree entry must fit a third of a page (about 2.7 kB), and a client may send a tag
 * value of any length; hashing long values keeps every index entry small. 0xFF never occurs in
 * UTF-8, so a hashed key never equals a raw one. Lookups apply the same function to the filter's
 * values; equality of SHA-256 digests stands for equality of values.
 */
final class TagKey {
    static final int MAX_RAW = 256;

    private TagKey() {}

    static byte[] of(String value) {
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        if (raw.length <= MAX_RAW) {
            return raw;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            byte[] out = new byte[33];
            out[0] = (byte) 0xFF;
            System.arraycopy(digest, 0, out, 1, 32);
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
