package nostr.blossom.server;

import java.util.Objects;
import nostr.blossom.blob.Sha256;

/**
 * What the index knows about a stored blob, whoever owns it.
 *
 * @param sha256 64 lowercase hex
 * @param size bytes
 * @param type MIME type recorded at its first upload
 * @param createdAt unix seconds of its first upload
 */
public record BlobRecord(String sha256, long size, String type, long createdAt) {
    public BlobRecord {
        if (!Sha256.isHash(sha256)) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex characters, got '" + sha256 + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        Objects.requireNonNull(type, "type");
        if (type.isEmpty() || type.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("type must be a non-empty string without NUL characters");
        }
    }
}
