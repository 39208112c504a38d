-- Events as received, with the fields NIP-01 filters select on.
-- id and pubkey are 32-byte BLOBs: half the size of hex in the table and in every index that
-- carries them, and memcmp order equals the lowercase-hex order NIP-01 ties break on.
-- d_tag is NULL for regular events, '' for replaceable kinds, the d tag value ('' when absent)
-- for addressable kinds: the partial unique index events_address then holds at most one stored
-- version per (pubkey, kind) or (pubkey, kind, d).
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,
    id         BLOB    NOT NULL,
    pubkey     BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    kind       INTEGER NOT NULL,
    d_tag      TEXT,
    expires_at INTEGER,
    json       TEXT    NOT NULL
);

CREATE UNIQUE INDEX events_id ON events (id);
CREATE INDEX events_created ON events (created_at DESC, id);
CREATE INDEX events_kind ON events (kind, created_at DESC, id);
CREATE INDEX events_pubkey ON events (pubkey, created_at DESC, id);
CREATE INDEX events_pubkey_kind ON events (pubkey, kind, created_at DESC, id);
CREATE UNIQUE INDEX events_address ON events (pubkey, kind, d_tag) WHERE d_tag IS NOT NULL;
CREATE INDEX events_expires ON events (expires_at) WHERE expires_at IS NOT NULL;

-- Single-letter tags, first value only, one row per distinct (name, value) of an event.
-- created_at is copied so that "#x" queries read the lookup index in NIP-01 order.
CREATE TABLE event_tags (
    event_seq  INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (event_seq, name, value)
) WITHOUT ROWID;

CREATE INDEX event_tags_lookup ON event_tags (name, value, created_at DESC);
