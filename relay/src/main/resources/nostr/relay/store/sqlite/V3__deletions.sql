-- What NIP-09 deletion requests and NIP-62 requests to vanish removed, so that re-submissions are
-- refused (WriteStatus DELETED / VANISHED).

-- e tags: the named id, refused when submitted by the requester (the id fixes the author).
CREATE TABLE deleted_events (
    id         BLOB    NOT NULL,
    pubkey     BLOB    NOT NULL,
    deleted_at INTEGER NOT NULL,
    PRIMARY KEY (id, pubkey)
) WITHOUT ROWID;

-- a tags: versions of the address created at or before until are refused.
CREATE TABLE deleted_addresses (
    pubkey BLOB    NOT NULL,
    kind   INTEGER NOT NULL,
    d_tag  TEXT    NOT NULL,
    until  INTEGER NOT NULL,
    PRIMARY KEY (pubkey, kind, d_tag)
) WITHOUT ROWID;

-- NIP-62: events by pubkey (and gift wraps p-tagged to it) created at or before until are refused.
CREATE TABLE vanished (
    pubkey BLOB    PRIMARY KEY,
    until  INTEGER NOT NULL
) WITHOUT ROWID;

-- Minimal audit record of each request to vanish (pubkey, time, count).
CREATE TABLE vanish_log (
    seq          INTEGER PRIMARY KEY,
    pubkey       TEXT    NOT NULL,
    until        INTEGER NOT NULL,
    requested_at INTEGER NOT NULL,
    removed      INTEGER NOT NULL
);
