-- A consultancy's own benchmark and the benchmark over time (issue 21).
--
-- "Our clients": a client's pool entry and its rows in release snapshots carry the workspace
-- the client belongs to, so that a release can publish each workspace's consenting clients as
-- a peer group of its own (assessment.GroupWorkspace), under the same rules as every other
-- group. Five-minute tests and demo companies have none (''). An erased snapshot row keeps it,
-- like its profile: the next release must still count the company as one that left its group.
ALTER TABLE pool_companies ADD COLUMN workspace TEXT NOT NULL DEFAULT '';
ALTER TABLE bench_snapshot ADD COLUMN workspace TEXT NOT NULL DEFAULT '';
UPDATE pool_companies SET workspace = (SELECT CAST(c.workspace_id AS TEXT) FROM clients c WHERE 'client:' || c.id = pool_companies.key)
	WHERE key LIKE 'client:%' AND EXISTS (SELECT 1 FROM clients c WHERE 'client:' || c.id = pool_companies.key);
UPDATE bench_snapshot SET workspace = (SELECT CAST(c.workspace_id AS TEXT) FROM clients c WHERE 'client:' || c.id = bench_snapshot.key)
	WHERE key LIKE 'client:%' AND EXISTS (SELECT 1 FROM clients c WHERE 'client:' || c.id = bench_snapshot.key);

-- The benchmark over time: the category medians every release published, per public peer
-- group, kept after the release itself is pruned. Only figures that were published (noise
-- included) are kept, never the pool they came from, so the history can be shown as it is.
CREATE TABLE bench_history (
	id          INTEGER PRIMARY KEY,
	version     TEXT    NOT NULL,
	demo        INTEGER NOT NULL CHECK (demo IN (0, 1)),
	released_at TEXT    NOT NULL,
	dim         TEXT    NOT NULL,
	dim_value   TEXT    NOT NULL,
	companies   INTEGER NOT NULL,
	as_is       TEXT    NOT NULL,
	to_be       TEXT    NOT NULL
);
CREATE INDEX bench_history_line ON bench_history (version, demo, dim, dim_value, released_at);
