-- Exactly once, and known devices (issue 16). Exactly once: a form sent twice (impatient taps, Back, a retry) or an API call
-- repeated with the same Idempotency-Key stores one result. once_keys keeps each key (as its
-- SHA-256, in its scope) with a hash of the request and the first response, written in the
-- same transaction as what the request created, so a crash keeps both or neither.
--
-- assessment_id and participant_id name what the key created, so that deleting it (the
-- holder's "delete my result", retention) deletes the key with it: a key must not outlive
-- the result it leads to. They are NULL when a key created the other kind; nothing compares
-- them as unique. Keys are deleted 24 hours after they were made (assessment.OnceTTL).
CREATE TABLE once_keys (
	scope          TEXT    NOT NULL,
	key_hash       TEXT    NOT NULL,
	request_hash   TEXT    NOT NULL,
	status         INTEGER NOT NULL,
	location       TEXT    NOT NULL DEFAULT '',
	body           BLOB    NOT NULL DEFAULT X'',
	created_at     TEXT    NOT NULL,
	assessment_id  INTEGER REFERENCES assessments(id) ON DELETE CASCADE,
	participant_id INTEGER REFERENCES participants(id) ON DELETE CASCADE,
	PRIMARY KEY (scope, key_hash)
);
CREATE INDEX once_keys_created ON once_keys(created_at);
CREATE INDEX once_keys_assessment ON once_keys(assessment_id);
CREATE INDEX once_keys_participant ON once_keys(participant_id);

-- Known devices (issue 16, OWASP "Slow down online guessing attacks with device cookies"):
-- a browser that signed in to an account gets a random device cookie; its SHA-256 is kept
-- here with the account. A sign-in from a known device is not throttled by the failures of
-- the account elsewhere, so an attacker guessing from many addresses cannot keep the owner
-- out; the device has a limit of its own. Rows go with the member, and after expires_at.
CREATE TABLE devices (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TEXT    NOT NULL,
	expires_at TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX devices_user ON devices(user_id);
CREATE INDEX devices_expires ON devices(expires_at);
