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

-- API tokens get an id (to list and revoke them by), a name, the time of their last use
-- (written at most once a minute) and an expiry ('' = never). SQLite cannot add an INTEGER
-- PRIMARY KEY to a table, so the table is rebuilt; existing tokens keep working, unnamed and
-- without expiry.
CREATE TABLE api_tokens_new (
	id           INTEGER PRIMARY KEY,
	token_hash   TEXT    NOT NULL UNIQUE,
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name         TEXT    NOT NULL DEFAULT '',
	created_at   TEXT    NOT NULL,
	last_used_at TEXT    NOT NULL DEFAULT '',
	expires_at   TEXT    NOT NULL DEFAULT ''
);
INSERT INTO api_tokens_new (token_hash, user_id, created_at)
	SELECT token_hash, user_id, created_at FROM api_tokens ORDER BY created_at, token_hash;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens(user_id, id);
