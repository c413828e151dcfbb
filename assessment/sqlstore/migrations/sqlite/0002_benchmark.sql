-- The benchmark pool: one row per company, and the distributions every peer group reads.
--
-- pool_hist holds, for each questionnaire version, peer group (dim, dim_value), side (0 AS-IS,
-- 1 TO-BE) and metric (position in Questionnaire.Metrics), how many companies have each
-- quantized value. It is maintained on every pool change, so reading a group's statistics
-- costs the same at 100 or 100,000 companies. Synthetic (demo) companies are counted in their
-- own rows so that they can be left out, or removed, without touching real data.

CREATE TABLE pool_companies (
	key       TEXT    NOT NULL PRIMARY KEY,
	version   TEXT    NOT NULL,
	industry  TEXT    NOT NULL DEFAULT '',
	size      TEXT    NOT NULL DEFAULT '',
	nps_years TEXT    NOT NULL DEFAULT '',
	country   TEXT    NOT NULL DEFAULT '',
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	-- at is when the company's result was taken (RFC 3339, fixed fraction): a newer result
	-- of the same company replaces an older one, never the reverse.
	at        TEXT    NOT NULL,
	-- as_is and to_be are JSON arrays of quantized metric values, kept so that a replaced
	-- or removed company can be subtracted from pool_hist exactly.
	as_is     TEXT    NOT NULL,
	to_be     TEXT    NOT NULL
) WITHOUT ROWID;

CREATE INDEX pool_companies_synthetic ON pool_companies (synthetic);

CREATE TABLE pool_hist (
	version   TEXT    NOT NULL,
	synthetic INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
	dim       TEXT    NOT NULL,
	dim_value TEXT    NOT NULL,
	side      INTEGER NOT NULL CHECK (side IN (0, 1)),
	metric    INTEGER NOT NULL,
	value     INTEGER NOT NULL,
	count     INTEGER NOT NULL CHECK (count >= 0),
	-- Key order is read order: a group's rows come out sorted by side, metric and value.
	PRIMARY KEY (version, dim, dim_value, side, metric, value, synthetic)
) WITHOUT ROWID;

-- pool_generation counts changes to the pool. Readers cache distributions and rendered
-- benchmarks by generation: one tiny read tells whether anything changed, in any process.
CREATE TABLE pool_generation (
	id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
	generation INTEGER NOT NULL
);
INSERT INTO pool_generation (id, generation) VALUES (1, 0);
