-- NIP-86 lists, NIP-43/NIP-29 membership, relay settings and the moderation queue.
-- created_at columns are unix milliseconds; the moderation queue is ordered by seq (insertion).
CREATE TABLE banned_pubkeys (
    pubkey     TEXT    PRIMARY KEY,
    reason     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE allowed_pubkeys (
    pubkey     TEXT    PRIMARY KEY,
    reason     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE banned_events (
    id         TEXT    PRIMARY KEY,
    reason     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE blocked_ips (
    ip         TEXT    PRIMARY KEY,
    reason     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE allowed_kinds (
    kind INTEGER PRIMARY KEY
);

CREATE TABLE group_members (
    group_id TEXT    NOT NULL,
    pubkey   TEXT    NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, pubkey)
);

CREATE TABLE group_roles (
    group_id    TEXT    NOT NULL,
    role_id     TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    color       TEXT    NOT NULL,
    ord         INTEGER NOT NULL,
    PRIMARY KEY (group_id, role_id)
);

CREATE TABLE group_member_roles (
    group_id TEXT NOT NULL,
    pubkey   TEXT NOT NULL,
    role_id  TEXT NOT NULL,
    PRIMARY KEY (group_id, pubkey, role_id)
);

CREATE TABLE invites (
    code       TEXT    PRIMARY KEY,
    group_id   TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE moderation_queue (
    seq        INTEGER PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE,
    reason     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
