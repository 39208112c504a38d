-- What NIP-09 deletion requests and NIP-62 requests to vanish removed, so that re-submissions are
-- refused (WriteStatus DELETED / VANISHED).

-- e tags: the named id, refused when submitted by the requester (the id fixes the author).
CREATE TABLE deleted_events (
    id         bytea  NOT NULL,
    pubkey     bytea  NOT NULL,
    deleted_at bigint NOT NULL,
    PRIMARY KEY (id, pubkey)
);

-- a tags: versions of the address created at or before until are refused. d_key as in replaceable_heads.
CREATE TABLE deleted_addresses (
    pubkey bytea   NOT NULL,
    kind   integer NOT NULL,
    d_key  bytea   NOT NULL,
    until  bigint  NOT NULL,
    PRIMARY KEY (pubkey, kind, d_key)
);

-- NIP-62: events by pubkey (and gift wraps p-tagged to it) created at or before until are refused.
CREATE TABLE vanished (
    pubkey bytea  PRIMARY KEY,
    until  bigint NOT NULL
);

-- Minimal audit record of each request to vanish (pubkey, time, count).
CREATE TABLE vanish_log (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pubkey       text   NOT NULL,
    until        bigint NOT NULL,
    requested_at bigint NOT NULL,
    removed      bigint NOT NULL
);
