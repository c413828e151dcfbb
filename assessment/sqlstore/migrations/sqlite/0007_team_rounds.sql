-- migrate: foreign_keys off
--
-- Team rounds (issue 10 §4): an executive who took the five-minute test invites the
-- leadership team into a round of their own, without any account. A team round is a workshop
-- round without a workspace or a client, so everything that runs a round (participants,
-- drafts, labels, the state phones poll) works on it unchanged, and every query of a
-- workspace's rounds (workspace_id = ?) passes it by.
--
-- rounds.workspace_id and rounds.client_id may therefore be NULL, both or neither, against
-- this schema's habit of NOT NULL columns: a NULL never equals a workspace's id, which is
-- exactly what keeps a team round out of every workspace, and the foreign keys stay. SQLite
-- cannot drop a NOT NULL constraint, so the table is rebuilt; other tables reference it, so
-- the migration runs with foreign keys off (the directive above; sqlite.go checks them all
-- before it commits), as https://www.sqlite.org/lang_altertable.html#otheralter describes.
CREATE TABLE rounds_new (
	id           INTEGER PRIMARY KEY,
	workspace_id INTEGER REFERENCES workspaces(id) ON DELETE CASCADE,
	client_id    INTEGER REFERENCES clients(id) ON DELETE CASCADE,
	title        TEXT    NOT NULL,
	lang         TEXT    NOT NULL,
	questionnaire_version TEXT NOT NULL,
	code         TEXT    NOT NULL UNIQUE,
	short_code   TEXT    NOT NULL,
	revealed     INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1)),
	revision     INTEGER NOT NULL DEFAULT 0,
	opened_at    TEXT    NOT NULL,
	closed_at    TEXT    NOT NULL DEFAULT '',
	deadline     TEXT    NOT NULL DEFAULT '',
	CHECK ((workspace_id IS NULL) = (client_id IS NULL))
);
INSERT INTO rounds_new (id, workspace_id, client_id, title, lang, questionnaire_version, code, short_code, revealed, revision, opened_at, closed_at, deadline)
	SELECT id, workspace_id, client_id, title, lang, questionnaire_version, code, short_code, revealed, revision, opened_at, closed_at, deadline FROM rounds;
DROP TABLE rounds;
ALTER TABLE rounds_new RENAME TO rounds;
CREATE INDEX rounds_client ON rounds(workspace_id, client_id, opened_at);
CREATE UNIQUE INDEX rounds_open_short_code ON rounds(short_code) WHERE closed_at = '';

-- A team round's own facts. token is the executive's private team link (/t/{token}): 128
-- bits from crypto/rand, kept in clear like a result's token, because the result page leads
-- to it again. assessment_id is the result the round was opened from, one round per result;
-- deleting the result deletes the team round with its answers (DeleteAssessment) unless a
-- consultant has taken it over. moved_at is when a consultant took the round into a workspace
-- as a client round ('' while it is the team's own): the round then belongs to the client,
-- and the team link only says so.
CREATE TABLE team_rounds (
	round_id      INTEGER NOT NULL PRIMARY KEY REFERENCES rounds(id) ON DELETE CASCADE,
	token         TEXT    NOT NULL UNIQUE,
	assessment_id INTEGER NOT NULL UNIQUE REFERENCES assessments(id) ON DELETE CASCADE,
	created_at    TEXT    NOT NULL,
	moved_at      TEXT    NOT NULL DEFAULT ''
);
