-- The account page, the audit log and TOTP two-factor (issue 20).
--
-- audit_events is a workspace's log of who did what (assessment.AuditEvent). workspace_id is
-- NULL for a failed sign-in with an address that has no account: no workspace may read
-- those (they would tell its admins which addresses are members elsewhere). actor_id is not
-- a foreign key: the log outlives a removed member, with the name they had at the time.
-- Rows older than the audit retention (default a year) are deleted by the retention job.
CREATE TABLE audit_events (
	id           INTEGER PRIMARY KEY,
	workspace_id INTEGER REFERENCES workspaces(id) ON DELETE CASCADE,
	at           TEXT    NOT NULL,
	actor_id     INTEGER NOT NULL DEFAULT 0,
	actor_name   TEXT    NOT NULL DEFAULT '',
	action       TEXT    NOT NULL,
	target       TEXT    NOT NULL DEFAULT '',
	address      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_workspace ON audit_events(workspace_id, id);
CREATE INDEX audit_events_at ON audit_events(at);

-- totp_secrets holds a member's TOTP secret (RFC 6238), encrypted by the program
-- (assessment/auth), from set-up on; enabled is 1 once a code confirmed it. last_step is the
-- last time step a code was accepted for: a code is never accepted twice.
CREATE TABLE totp_secrets (
	user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	secret     TEXT    NOT NULL,
	enabled    INTEGER NOT NULL DEFAULT 0,
	last_step  INTEGER NOT NULL DEFAULT 0,
	created_at TEXT    NOT NULL
);

-- recovery_codes are a member's single-use codes for when the authenticator is lost, kept as
-- SHA-256 hashes; used_at is set when one is spent.
CREATE TABLE recovery_codes (
	user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash TEXT    NOT NULL,
	used_at   TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- pending_logins are half-signed-in browsers: the password was right, the second factor is
-- still to come. The row grants nothing but the code form; it expires in minutes and counts
-- wrong codes.
CREATE TABLE pending_logins (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	next       TEXT    NOT NULL DEFAULT '',
	attempts   INTEGER NOT NULL DEFAULT 0,
	expires_at TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX pending_logins_expires ON pending_logins(expires_at);

-- require_second_factor: an admin's setting that every member must have a second factor
-- (TOTP or a passkey) before they may use the workspace.
ALTER TABLE workspaces ADD COLUMN require_second_factor INTEGER NOT NULL DEFAULT 0;
