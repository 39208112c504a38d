package nostr.blossom.server;

/**
 * A blob as one owner sees it: the blob and when that owner uploaded (or mirrored) it, which is
 * the {@code uploaded} of the descriptors the owner gets (BUD-02, BUD-12).
 */
public record OwnedBlob(BlobRecord blob, long uploadedAt) {}
