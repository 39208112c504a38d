-- NIP-86 lists, NIP-43/NIP-29 membership, relay settings and the moderation queue.
-- created_at columns are unix milliseconds; the moderation queue is ordered by seq (insertion).
CREATE TABLE banned_pubkeys (
    pubkey     text    PRIMARY KEY,
    reason     text    NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE allowed_pubkeys (
    pubkey     text    PRIMARY KEY,
    reason     text    NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE banned_events (
    id         text    PRIMARY KEY,
    reason     text    NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE blocked_ips (
    ip         text    PRIMARY KEY,
    reason     text    NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE allowed_kinds (
    kind integer PRIMARY KEY
);

CREATE TABLE group_members (
    group_id text    NOT NULL,
    pubkey   text    NOT NULL,
    added_at bigint NOT NULL,
    PRIMARY KEY (group_id, pubkey)
);

CREATE TABLE group_roles (
    group_id    text    NOT NULL,
    role_id     text    NOT NULL,
    label       text    NOT NULL,
    description text    NOT NULL,
    color       text    NOT NULL,
    ord         integer NOT NULL,
    PRIMARY KEY (group_id, role_id)
);

CREATE TABLE group_member_roles (
    group_id text NOT NULL,
    pubkey   text NOT NULL,
    role_id  text NOT NULL,
    PRIMARY KEY (group_id, pubkey, role_id)
);

CREATE TABLE invites (
    code       text    PRIMARY KEY,
    group_id   text    NOT NULL,
    created_by text    NOT NULL,
    expires_at bigint NOT NULL,
    used_at    bigint
);

CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE moderation_queue (
    seq        bigint  GENERATED ALWAYS AS IDENTITY,
    id         text    PRIMARY KEY,
    reason     text    NOT NULL,
    created_at bigint NOT NULL
);
