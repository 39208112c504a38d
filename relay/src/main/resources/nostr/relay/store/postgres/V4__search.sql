-- NIP-50 full-text search: a tsvector of event content (SearchText decides what is indexed),
-- 'simple' configuration (no language-specific stemming: relays carry every language), GIN index.
ALTER TABLE events ADD COLUMN search tsvector;

CREATE INDEX events_search ON events USING gin (search);

-- Events stored before this version. Events whose JSON holds the escape of NUL stay unindexed:
-- ->> cannot turn it into text, and the migration must not fail on a client's odd event.
UPDATE events
SET search = to_tsvector('simple', left(json::json ->> 'content', 100000))
WHERE kind NOT IN (4, 13, 1059) AND strpos(json, '\u0000') = 0;
