-- Security (issue 12). Numbered 0005 so as not to clash with 0004_workshop.sql.

-- limit_failures holds the failures the rate limits count (assessment/auth.Limiter): failed
-- sign-ins per address, per account and per account and address, unknown workshop codes per
-- address. In the database rather than in memory, so a restart forgives nothing. key is the
-- SHA-256 of the address or account, never the clear text; rows older than their limit's
-- window are deleted whenever a failure is recorded.
CREATE TABLE limit_failures (
	scope TEXT NOT NULL,
	key   TEXT NOT NULL,
	at    TEXT NOT NULL
);
CREATE INDEX limit_failures_key ON limit_failures(scope, key, at);
CREATE INDEX limit_failures_at ON limit_failures(scope, at);
