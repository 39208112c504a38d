package nostr.blossom.server;

import java.util.List;
import java.util.Optional;

/**
 * The blob metadata port: which blobs exist, their size and type, who owns them and since when.
 * The bytes live in files ({@link BlobFiles}); this is the rest. The relay implements it in its
 * SQLite and PostgreSQL adapters ({@code Storage.blobs()}); {@link InMemoryBlobIndex} serves
 * embedded servers and tests.
 *
 * <p>A blob exists while it has at least one owner: every call that removes the last owner
 * removes the blob's record in the same transaction. Every mutation is durable on return.
 * Arguments that are not well-formed (a hash or pubkey that is not 64 lowercase hex) are refused
 * with {@link IllegalArgumentException} naming the argument, and change nothing.
 */
public interface BlobIndex {

    /** How {@link #addOwner} ended. */
    enum Added {
        /** The blob was not known: its record was created with this first owner. */
        NEW_BLOB,
        /** The blob was known; this pubkey is now one of its owners too. */
        NEW_OWNER,
        /** This pubkey already owned the blob; nothing changed (its upload time is kept). */
        ALREADY_OWNER,
        /** Owning the blob would put the pubkey over its quota; nothing changed. */
        QUOTA_EXCEEDED
    }

    /**
     * What {@link #addOwner} did, and the blob as the owner now sees it (for {@code QUOTA_EXCEEDED}:
     * the blob as it was offered).
     */
    record AddResult(Added outcome, OwnedBlob owned) {}

    /** How {@link #removeOwner} ended. */
    enum Removed {
        /** The pubkey did not own the blob (or the blob does not exist); nothing changed. */
        NOT_OWNER,
        /** The pubkey no longer owns the blob; others still do. */
        OWNER_REMOVED,
        /** The pubkey was the last owner: the blob's record is gone and its file may be deleted. */
        LAST_OWNER_REMOVED
    }

    /**
     * Makes {@code pubkey} an owner of {@code blob} (creating the blob's record if it has none; an
     * existing record keeps its size, type and creation time), atomically with the quota check:
     * a pubkey's usage is the sum of the sizes of the blobs it owns.
     *
     * @param uploadedAt unix seconds, the owner's upload time
     * @param quotaBytes the pubkey's quota in bytes; 0 or less for none
     */
    AddResult addOwner(BlobRecord blob, String pubkey, long uploadedAt, long quotaBytes) throws BlobIndexException;

    /** The blob's record, if the blob exists. */
    Optional<BlobRecord> find(String sha256) throws BlobIndexException;

    /** The blob as {@code pubkey} owns it, if it does. */
    Optional<OwnedBlob> findOwned(String sha256, String pubkey) throws BlobIndexException;

    /** Removes {@code pubkey}'s ownership of the blob, and the blob's record with its last owner. */
    Removed removeOwner(String sha256, String pubkey) throws BlobIndexException;

    /**
     * A page of the blobs {@code pubkey} owns, newest upload first, ties by lower sha256.
     *
     * @throws IllegalArgumentException when the cursor names a blob the pubkey does not own
     */
    List<OwnedBlob> list(String pubkey, BlobListQuery query) throws BlobIndexException;

    /** Bytes the pubkey's blobs take (the sum of their sizes). */
    long usage(String pubkey) throws BlobIndexException;

    /** The owners of a blob, ordered by pubkey (empty when it does not exist). */
    List<String> owners(String sha256) throws BlobIndexException;
}
