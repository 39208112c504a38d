package nostr.blossom.server;

/** A blob stream went past the byte limit it was received under; nothing was kept. */
public final class BlobTooLargeException extends Exception {
    private final long limit;

    public BlobTooLargeException(long limit) {
        super("blob is larger than " + limit + " bytes");
        this.limit = limit;
    }

    /** The limit it went past. */
    public long limit() {
        return limit;
    }
}
