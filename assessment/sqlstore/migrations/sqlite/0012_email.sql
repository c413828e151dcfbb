-- Email (issue 20): the durable outbox, workspace invitations and password resets.
--
-- mail_outbox holds every message the app sends, written in the same transaction as the
-- action that causes it (an invitation, a reset), so that a crash keeps both or neither. A
-- worker claims due rows by setting claimed_until (a lease: another instance, or this one
-- after a crash, takes the row again only once the lease has run out), sends, and marks the
-- row sent right after the SMTP transaction, or schedules the next attempt at next_at with
-- exponential back-off, until it gives up (status 'failed'). A sent or failed message's
-- bodies are erased: they carry single-use links, which must not outlive their delivery.
CREATE TABLE mail_outbox (
	id            INTEGER PRIMARY KEY,
	kind          TEXT    NOT NULL,
	recipient     TEXT    NOT NULL,
	subject       TEXT    NOT NULL,
	body_text     TEXT    NOT NULL,
	body_html     TEXT    NOT NULL,
	status        TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	attempts      INTEGER NOT NULL DEFAULT 0,
	next_at       TEXT    NOT NULL,
	claimed_until TEXT    NOT NULL DEFAULT '',
	last_error    TEXT    NOT NULL DEFAULT '',
	created_at    TEXT    NOT NULL,
	done_at       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_at);

-- An admin's invitation to join a workspace. Only the SHA-256 of the link's token is kept.
-- A pending invitation has neither accepted_at nor revoked_at and expires_at in the future.
CREATE TABLE member_invitations (
	id           INTEGER PRIMARY KEY,
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	email        TEXT    NOT NULL,
	role         TEXT    NOT NULL CHECK (role IN ('admin', 'consultant')),
	lang         TEXT    NOT NULL,
	token_hash   TEXT    NOT NULL UNIQUE,
	invited_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at   TEXT    NOT NULL,
	expires_at   TEXT    NOT NULL,
	accepted_at  TEXT    NOT NULL DEFAULT '',
	revoked_at   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX member_invitations_workspace ON member_invitations(workspace_id);

-- A forgotten password's single-use link, by the SHA-256 of its token; it goes with the
-- member.
CREATE TABLE password_resets (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TEXT    NOT NULL,
	expires_at TEXT    NOT NULL,
	used_at    TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX password_resets_user ON password_resets(user_id);
