-- Benchmark anonymity (issue 12 §1). Pages and the API no longer read the live pool: they
-- read releases, made at most once a day from a snapshot of the pool, with their noise drawn
-- once and stored (assessment/release.go, assessment/noise.go, docs/privacy.md).

-- The pool holds only companies an attacker cannot create in bulk: consultants' clients,
-- five-minute tests the operator has verified (loyalty pool verify), and synthetic companies.
-- A consenting test waits outside the pool until it is verified: its consent is on the
-- assessment. Tests pooled before this migration leave the pool now and wait like the others.
DELETE FROM pool_companies WHERE synthetic = 0 AND key NOT LIKE 'client:%';

-- source_id is the id of the test a pool entry was made from (0 for a client or a synthetic
-- company): that very result is left out of its own comparison, and deleting it erases it.
ALTER TABLE pool_companies ADD COLUMN source_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX pool_companies_source ON pool_companies (source_id) WHERE source_id <> 0;

-- Distributions are no longer kept live: a release counts the snapshot it is made from.
DROP TABLE pool_hist;

UPDATE pool_generation SET generation = generation + 1 WHERE id = 1;

-- One release is one publication of the benchmark of one questionnaire version, with demo
-- companies (demo = 1, what a server started with -demo shows) or without.
CREATE TABLE bench_releases (
	id      INTEGER PRIMARY KEY,
	version TEXT    NOT NULL,
	demo    INTEGER NOT NULL CHECK (demo IN (0, 1)),
	made_at TEXT    NOT NULL
);
CREATE INDEX bench_releases_line ON bench_releases (version, demo, id);

-- The pool as a release saw it: every company its new statistics were computed from. atom is
-- the fingerprint of the entry (assessment.PoolEntry.Atom). It is kept while statistics
-- computed from it are published, to check the next release against and to leave a company
-- out of its own comparison. Deleting a result or a client erases its row down to the atom
-- and the profile (key '', values NULL): the company still counts as one that left.
CREATE TABLE bench_snapshot (
	release_id INTEGER NOT NULL REFERENCES bench_releases (id) ON DELETE CASCADE,
	atom       INTEGER NOT NULL,
	key        TEXT    NOT NULL,
	source_id  INTEGER NOT NULL DEFAULT 0,
	at         TEXT    NOT NULL,
	industry   TEXT    NOT NULL DEFAULT '',
	size       TEXT    NOT NULL DEFAULT '',
	nps_years  TEXT    NOT NULL DEFAULT '',
	synthetic  INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
	as_is      TEXT,
	to_be      TEXT,
	PRIMARY KEY (release_id, atom)
) WITHOUT ROWID;
-- A result page finds its own row by source (a test) or key (a client) in one snapshot; a
-- deletion finds every row of a company. Queries repeat the indexes' conditions (source_id
-- <> 0, key <> '') so that SQLite may use them.
CREATE INDEX bench_snapshot_key ON bench_snapshot (key, release_id) WHERE key <> '';
CREATE INDEX bench_snapshot_source ON bench_snapshot (source_id, release_id) WHERE source_id <> 0;

-- The published statistics of one peer group, computed from the snapshot of release_id.
CREATE TABLE bench_contents (
	id         INTEGER PRIMARY KEY,
	release_id INTEGER NOT NULL REFERENCES bench_releases (id),
	dim        TEXT    NOT NULL,
	dim_value  TEXT    NOT NULL,
	companies  INTEGER NOT NULL,
	synthetic  INTEGER NOT NULL CHECK (synthetic IN (0, 1))
);

-- One metric of one side of a content, as assessment.PublishedMetric: hist is "value count
-- value count …" on the grid, sum the noisy sum, at_or_below the noisy cumulative counts as
-- little-endian IEEE 754 doubles, one per grid value (read on every first view of a page:
-- binary is several times cheaper to read than text).
CREATE TABLE bench_metrics (
	content_id  INTEGER NOT NULL REFERENCES bench_contents (id) ON DELETE CASCADE,
	side        INTEGER NOT NULL CHECK (side IN (0, 1)),
	metric      INTEGER NOT NULL,
	hist        TEXT    NOT NULL,
	sum         REAL    NOT NULL,
	at_or_below BLOB    NOT NULL,
	PRIMARY KEY (content_id, side, metric)
) WITHOUT ROWID;

-- The groups of a release: its new contents and those it keeps from earlier releases. A
-- withdrawn group (visible = 0) is kept only to check the next release against.
CREATE TABLE bench_release_groups (
	release_id INTEGER NOT NULL REFERENCES bench_releases (id) ON DELETE CASCADE,
	content_id INTEGER NOT NULL REFERENCES bench_contents (id),
	visible    INTEGER NOT NULL CHECK (visible IN (0, 1)),
	PRIMARY KEY (release_id, content_id)
) WITHOUT ROWID;

-- The last attempt at a release of each pool: the pool generation it planned from, so that an
-- unchanged pool is not planned again.
CREATE TABLE bench_lines (
	version   TEXT    NOT NULL,
	demo      INTEGER NOT NULL CHECK (demo IN (0, 1)),
	attempted INTEGER NOT NULL,
	PRIMARY KEY (version, demo)
) WITHOUT ROWID;

-- result_generation counts deleted results. Result pages are cached by release and by it, so
-- that no process serves a deleted result from its cache. (The pool generation used to do
-- this; a deleted test that was never verified no longer changes the pool.)
CREATE TABLE result_generation (
	id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
	generation INTEGER NOT NULL
);
INSERT INTO result_generation (id, generation) VALUES (1, 0);
