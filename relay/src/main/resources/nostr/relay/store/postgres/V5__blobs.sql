-- Blossom blob metadata (the bytes are files under blossom_dir): blobs, their owners, and each
-- owner's usage for quotas. Times are unix seconds. A blob row exists while it has an owner.
CREATE TABLE blobs (
    sha256     text   PRIMARY KEY,
    size       bigint NOT NULL,
    type       text   NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE blob_owners (
    sha256      text   NOT NULL,
    pubkey      text   NOT NULL,
    uploaded_at bigint NOT NULL,
    PRIMARY KEY (sha256, pubkey)
);

-- BUD-12 list: one owner's blobs, newest first, ties by hash.
CREATE INDEX blob_owners_list ON blob_owners (pubkey, uploaded_at DESC, sha256);

CREATE TABLE blob_usage (
    pubkey text   PRIMARY KEY,
    bytes  bigint NOT NULL
);
