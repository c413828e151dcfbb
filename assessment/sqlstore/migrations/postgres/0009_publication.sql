-- Published snapshots (issue 16): see migrations/sqlite/0009_publication.sql.
ALTER TABLE rounds ADD COLUMN published TEXT NOT NULL DEFAULT '';
ALTER TABLE rounds ADD COLUMN published_seq BIGINT NOT NULL DEFAULT 0;
