package nostr.blossom.server;

import nostr.blossom.blob.Sha256;

/**
 * One page of a BUD-12 list: blobs of one owner, newest upload first (ties: lower sha256 first).
 *
 * @param cursor sha256 of the last blob of the previous page (not included), or null for the first page
 * @param limit most blobs to return, at least 1
 * @param since only blobs uploaded at or after this unix time, or null
 * @param until only blobs uploaded at or before this unix time, or null
 */
public record BlobListQuery(String cursor, int limit, Long since, Long until) {
    public BlobListQuery {
        if (cursor != null && !Sha256.isHash(cursor)) {
            throw new IllegalArgumentException("cursor must be a blob hash (64 lowercase hex), got '" + cursor + "'");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    /** The first page, {@code limit} long. */
    public static BlobListQuery first(int limit) {
        return new BlobListQuery(null, limit, null, null);
    }
}
