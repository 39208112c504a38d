-- Blossom blob metadata (the bytes are files under blossom_dir): blobs, their owners, and each
-- owner's usage for quotas. Times are unix seconds. A blob row exists while it has an owner.
CREATE TABLE blobs (
    sha256     TEXT    PRIMARY KEY,
    size       INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE blob_owners (
    sha256      TEXT    NOT NULL,
    pubkey      TEXT    NOT NULL,
    uploaded_at INTEGER NOT NULL,
    PRIMARY KEY (sha256, pubkey)
);

-- BUD-12 list: one owner's blobs, newest first, ties by hash.
CREATE INDEX blob_owners_list ON blob_owners (pubkey, uploaded_at DESC, sha256);

CREATE TABLE blob_usage (
    pubkey TEXT    PRIMARY KEY,
    bytes  INTEGER NOT NULL
);
