-- Events as received, range-partitioned by created_at (unix seconds). Partitions for the managed
-- window are created on demand by the adapter (PostgresPartitions); timestamps outside it land in
-- events_default. id and pubkey are 32-byte bytea (half of hex, memcmp order = hex order).
-- The signature is not a column: it is in the raw json, and nothing queries it.
CREATE TABLE events (
    created_at bigint  NOT NULL,
    id         bytea   NOT NULL,
    pubkey     bytea   NOT NULL,
    kind       integer NOT NULL,
    expires_at bigint,
    json       text    NOT NULL,
    PRIMARY KEY (created_at, id)
) PARTITION BY RANGE (created_at);

CREATE TABLE events_default PARTITION OF events DEFAULT;

CREATE INDEX events_kind ON events (kind, created_at DESC, id);
CREATE INDEX events_pubkey ON events (pubkey, created_at DESC, id);
CREATE INDEX events_pubkey_kind ON events (pubkey, kind, created_at DESC, id);
CREATE INDEX events_expires ON events (expires_at) WHERE expires_at IS NOT NULL;

-- A partitioned table cannot hold a unique index without the partition key, so ids are unique
-- here. It also finds an event's partition from its id alone.
CREATE TABLE event_ids (
    id         bytea  PRIMARY KEY,
    created_at bigint NOT NULL
);

-- Single-letter tags, first value only, one row per distinct (name, value) of an event. value is
-- the value's UTF-8 bytes, or for values over 256 bytes 0xFF followed by their SHA-256 (0xFF never
-- occurs in UTF-8, so the two forms cannot collide): btree entries stay small whatever clients send,
-- and bytea holds the NUL characters JSON allows but text does not.
CREATE TABLE event_tags (
    event_id   bytea  NOT NULL,
    name       text   NOT NULL,
    value      bytea  NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (event_id, name, value)
);

CREATE INDEX event_tags_lookup ON event_tags (name, value, created_at DESC, event_id);

-- The stored version of each replaceable (d_key empty) and addressable (d_key = the d value, keyed
-- like tag values) address. Writers lock the row (SELECT ... FOR UPDATE) so concurrent relay nodes
-- resolve a conflict the same way: newer created_at wins, then the lower id.
CREATE TABLE replaceable_heads (
    pubkey     bytea   NOT NULL,
    kind       integer NOT NULL,
    d_key      bytea   NOT NULL,
    created_at bigint  NOT NULL,
    id         bytea   NOT NULL,
    PRIMARY KEY (pubkey, kind, d_key)
);

CREATE INDEX replaceable_heads_id ON replaceable_heads (id);
