-- The consultant workspace: workspaces and their members, sessions and API tokens, clients,
-- workshop rounds with their participants and answers, and Must Win Battles.
--
-- Every table holding a tenant's data carries workspace_id (directly or through its parent),
-- and every query filters on it. Secrets (sessions, API tokens, participant tokens) are stored
-- only as the hex SHA-256 of the token handed out. Times are RFC 3339 UTC with a fixed
-- nine-digit fraction, so text order is time order; '' means "not set".

CREATE TABLE workspaces (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	-- email is stored lower-case; it is the login name.
	email         TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL,
	role          TEXT    NOT NULL CHECK (role IN ('admin', 'consultant')),
	password_hash TEXT    NOT NULL,
	created_at    TEXT    NOT NULL
);
CREATE INDEX users_workspace ON users(workspace_id);

CREATE TABLE sessions (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	-- csrf is the per-session token every state-changing form must echo in _csrf.
	csrf       TEXT    NOT NULL,
	created_at TEXT    NOT NULL,
	expires_at TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE clients (
	id                INTEGER PRIMARY KEY,
	workspace_id      INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	name              TEXT    NOT NULL,
	industry          TEXT    NOT NULL DEFAULT '',
	size              TEXT    NOT NULL DEFAULT '',
	country           TEXT    NOT NULL DEFAULT '',
	nps_years         TEXT    NOT NULL DEFAULT '',
	benchmark_consent INTEGER NOT NULL DEFAULT 0 CHECK (benchmark_consent IN (0, 1)),
	archived          INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
	created_at        TEXT    NOT NULL,
	updated_at        TEXT    NOT NULL
);
CREATE INDEX clients_workspace ON clients(workspace_id, archived, name);

CREATE TABLE rounds (
	id           INTEGER PRIMARY KEY,
	workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	client_id    INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
	title        TEXT    NOT NULL,
	lang         TEXT    NOT NULL,
	-- questionnaire_version is the instrument the round was opened with.
	questionnaire_version TEXT NOT NULL,
	-- code is the participant link's secret (256 bits); kept in clear because the consultant
	-- shows the link and its QR code again and again. It grants answering only.
	code         TEXT    NOT NULL UNIQUE,
	short_code   TEXT    NOT NULL,
	revealed     INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1)),
	-- revision counts the changes to the round's answers, so a dashboard can tell cheaply
	-- whether anything changed since it last looked.
	revision     INTEGER NOT NULL DEFAULT 0,
	opened_at    TEXT    NOT NULL,
	closed_at    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX rounds_client ON rounds(workspace_id, client_id, opened_at);
-- A short code identifies one open round; closed rounds give theirs back.
CREATE UNIQUE INDEX rounds_open_short_code ON rounds(short_code) WHERE closed_at = '';

CREATE TABLE participants (
	id         INTEGER PRIMARY KEY,
	round_id   INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
	token_hash TEXT    NOT NULL UNIQUE,
	name       TEXT    NOT NULL DEFAULT '',
	role       TEXT    NOT NULL DEFAULT '',
	created_at TEXT    NOT NULL,
	updated_at TEXT    NOT NULL
);
CREATE INDEX participants_round ON participants(round_id, id);

CREATE TABLE participant_answers (
	participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
	competency     INTEGER NOT NULL CHECK (competency BETWEEN 1 AND 21),
	as_is          REAL    NOT NULL,
	to_be          REAL    NOT NULL,
	PRIMARY KEY (participant_id, competency)
) WITHOUT ROWID;

CREATE TABLE battles (
	id         INTEGER PRIMARY KEY,
	round_id   INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
	competency INTEGER NOT NULL CHECK (competency BETWEEN 1 AND 21),
	title      TEXT    NOT NULL,
	owner      TEXT    NOT NULL DEFAULT '',
	due        TEXT    NOT NULL DEFAULT '',
	status     TEXT    NOT NULL CHECK (status IN ('planned', 'in_progress', 'done')),
	created_at TEXT    NOT NULL
);
CREATE INDEX battles_round ON battles(round_id, id);
