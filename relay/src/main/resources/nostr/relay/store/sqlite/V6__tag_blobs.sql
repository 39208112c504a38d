-- Tag values that are 64 lowercase hex characters (event ids in e/E/q tags, pubkeys in p/P tags,
-- most of what is indexed) are stored as their 32 bytes, as events.id and events.pubkey are:
-- half the size in the table and in event_tags_lookup, so more of the lookup index stays in the
-- page cache and each insert dirties fewer pages. Other values stay TEXT. A BLOB never equals a
-- TEXT in SQLite, and queries turn a 64-hex value into bytes the same way (SqliteFilterSql.tagKey).
-- value has no declared type (BLOB affinity): values are stored exactly as bound.
CREATE TABLE event_tags_v6 (
    event_seq  INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    value      BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (event_seq, name, value)
) WITHOUT ROWID;

INSERT INTO event_tags_v6 (event_seq, name, value, created_at)
SELECT event_seq, name,
       CASE WHEN typeof(value) = 'text' AND length(value) = 64 AND value NOT GLOB '*[^0-9a-f]*'
            THEN unhex(value) ELSE value END,
       created_at
FROM event_tags ORDER BY event_seq, name, value;

DROP TABLE event_tags;

ALTER TABLE event_tags_v6 RENAME TO event_tags;

CREATE INDEX event_tags_lookup ON event_tags (name, value, created_at DESC);
