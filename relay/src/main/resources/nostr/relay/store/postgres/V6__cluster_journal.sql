-- Cluster mode's commit journal (CommitJournal): every node (origin) numbers the events it stores
-- 1, 2, 3, ... in the transaction that stores them. A node catches up from here on events whose
-- NATS messages it did not get. Entries are pruned after a retention; heads are kept for good, so
-- an origin's numbers never restart.
CREATE TABLE cluster_heads (
    origin     text   PRIMARY KEY,
    seq        bigint NOT NULL,
    updated_at bigint NOT NULL
);

CREATE TABLE cluster_journal (
    origin       text   NOT NULL,
    seq          bigint NOT NULL,
    event_id     bytea  NOT NULL,
    committed_at bigint NOT NULL,
    PRIMARY KEY (origin, seq)
);

CREATE INDEX cluster_journal_committed ON cluster_journal (committed_at);
