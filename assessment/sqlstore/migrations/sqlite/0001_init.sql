-- Assessments and their answers. Every column that a query may compare is NOT NULL: SQLite
-- treats NULLs as distinct in UNIQUE and makes NULL comparisons quietly false.

CREATE TABLE assessments (
	id                    INTEGER PRIMARY KEY,
	-- token is the public identifier in result links (128 bits from crypto/rand).
	token                 TEXT    NOT NULL UNIQUE,
	questionnaire_version TEXT    NOT NULL,
	lang                  TEXT    NOT NULL,
	-- created_at is RFC 3339 UTC with a fixed nine-digit fraction, so text order is time order.
	created_at            TEXT    NOT NULL,
	role                  TEXT    NOT NULL DEFAULT '',
	company_name          TEXT    NOT NULL DEFAULT '',
	company_industry      TEXT    NOT NULL DEFAULT '',
	company_size          TEXT    NOT NULL DEFAULT '',
	company_country       TEXT    NOT NULL DEFAULT '',
	company_nps_years     TEXT    NOT NULL DEFAULT '',
	benchmark_consent     INTEGER NOT NULL DEFAULT 0 CHECK (benchmark_consent IN (0, 1)),
	-- synthetic marks generated demo data, which must never enter the benchmark pool.
	synthetic             INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1))
);

-- Ratings are REAL because company-level and workshop results are means of whole numbers.
CREATE TABLE answers (
	assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
	competency    INTEGER NOT NULL CHECK (competency BETWEEN 1 AND 21),
	as_is         REAL    NOT NULL,
	to_be         REAL    NOT NULL,
	PRIMARY KEY (assessment_id, competency)
) WITHOUT ROWID;
