-- NIP-50 full-text search: a contentless FTS5 index of event content (SearchText decides what is
-- indexed), keyed by events.seq. contentless_delete lets rows be removed by rowid; the trigger
-- removes an event's entry whenever the event is deleted (replaced, deleted, vanished, expired).
CREATE VIRTUAL TABLE events_fts USING fts5(
    content,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    DELETE FROM events_fts WHERE rowid = old.seq;
END;

-- Events stored before this version.
INSERT INTO events_fts (rowid, content)
SELECT seq, json_extract(json, '$.content') FROM events
WHERE kind NOT IN (4, 13, 1059) AND trim(json_extract(json, '$.content')) <> '';
