package nostr.blossom.client;

/**
 * What {@code HEAD /<sha256>} tells about a blob (BUD-01).
 *
 * @param size Content-Length
 * @param type Content-Type ({@code application/octet-stream} when the server sent none)
 * @param acceptsRanges whether the server announced {@code Accept-Ranges: bytes}
 */
public record BlobInfo(long size, String type, boolean acceptsRanges) {}
