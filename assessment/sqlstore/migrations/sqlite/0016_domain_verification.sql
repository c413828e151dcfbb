-- Verification by work email (issue 21): a five-minute test counts in the benchmark for the
-- domain of a mailbox its holder confirmed from, one company per domain.
--
-- On the result: the domain it was confirmed for and when; never the address, which lives
-- only in the outbox message until that is sent (its recipient is erased then).
ALTER TABLE assessments ADD COLUMN verified_domain TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN verified_at TEXT NOT NULL DEFAULT '';
CREATE INDEX assessments_verified_domain ON assessments(verified_domain) WHERE verified_domain <> '';

-- The operator's register of company domains: a domain seen for the first time is pending
-- until the operator approves or rejects it, once for all its tests.
CREATE TABLE email_domains (
	domain     TEXT PRIMARY KEY,
	status     TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
	first_seen TEXT NOT NULL,
	decided_at TEXT NOT NULL DEFAULT ''
);

-- A verification link, by the SHA-256 of its single-use token; it goes with its result.
CREATE TABLE verification_requests (
	id            INTEGER PRIMARY KEY,
	assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
	token_hash    TEXT    NOT NULL UNIQUE,
	domain        TEXT    NOT NULL,
	lang          TEXT    NOT NULL,
	created_at    TEXT    NOT NULL,
	expires_at    TEXT    NOT NULL,
	used_at       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX verification_requests_assessment ON verification_requests(assessment_id);
