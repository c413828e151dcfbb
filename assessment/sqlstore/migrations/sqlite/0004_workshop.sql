-- Workshop rounds run in front of a room: participants join before they answer and their
-- answers are saved as they tap (a draft); anonymous labels drawn at random; a countdown;
-- Must Win Battles with four statuses, carried from round to round with their history; and
-- the consultant's notes per competency.

ALTER TABLE rounds ADD COLUMN deadline TEXT NOT NULL DEFAULT '';

-- label is the participant's anonymous name in per-person views ("P17"), drawn at random when
-- they join. finished_at is set when a complete set of answers was submitted; only finished
-- participants count in the room's result. Participants stored before this migration had
-- answered (they finished when last updated); their labels follow their ids, the only thing
-- left to go by.
ALTER TABLE participants ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE participants ADD COLUMN finished_at TEXT NOT NULL DEFAULT '';
UPDATE participants SET finished_at = updated_at, label = 'P' || id;
CREATE UNIQUE INDEX participants_label ON participants(round_id, label);

-- The answers a participant has tapped so far, one row per competency and side.
CREATE TABLE participant_drafts (
	participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
	competency     INTEGER NOT NULL CHECK (competency BETWEEN 1 AND 21),
	field          TEXT    NOT NULL CHECK (field IN ('as_is', 'to_be')),
	value          INTEGER NOT NULL,
	PRIMARY KEY (participant_id, competency, field)
) WITHOUT ROWID;
INSERT INTO participant_drafts (participant_id, competency, field, value)
	SELECT participant_id, competency, 'as_is', CAST(as_is AS INTEGER) FROM participant_answers
	UNION ALL
	SELECT participant_id, competency, 'to_be', CAST(to_be AS INTEGER) FROM participant_answers;

-- Battles: "planned" becomes "not_started", "dropped" is new, and lineage ties a battle to the
-- copies carried into later rounds. SQLite cannot change a CHECK constraint, so the table is
-- rebuilt; nothing references it.
CREATE TABLE battles_new (
	id         INTEGER PRIMARY KEY,
	round_id   INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
	lineage    INTEGER NOT NULL,
	competency INTEGER NOT NULL CHECK (competency BETWEEN 1 AND 21),
	title      TEXT    NOT NULL,
	owner      TEXT    NOT NULL DEFAULT '',
	due        TEXT    NOT NULL DEFAULT '',
	status     TEXT    NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'dropped')),
	created_at TEXT    NOT NULL
);
INSERT INTO battles_new (id, round_id, lineage, competency, title, owner, due, status, created_at)
	SELECT id, round_id, id, competency, title, owner, due,
		CASE status WHEN 'planned' THEN 'not_started' ELSE status END, created_at
	FROM battles;
DROP TABLE battles;
ALTER TABLE battles_new RENAME TO battles;
CREATE INDEX battles_round ON battles(round_id, id);
CREATE INDEX battles_lineage ON battles(lineage);

-- Every status a battle was given, across the rounds it was carried into.
CREATE TABLE battle_events (
	lineage  INTEGER NOT NULL,
	round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
	status   TEXT    NOT NULL,
	at       TEXT    NOT NULL
);
CREATE INDEX battle_events_lineage ON battle_events(lineage, at);
INSERT INTO battle_events (lineage, round_id, status, at) SELECT id, round_id, status, created_at FROM battles;

-- What the room said about a competency, one note per competency and round.
CREATE TABLE round_notes (
	round_id   INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
	competency INTEGER NOT NULL CHECK (competency BETWEEN 1 AND 21),
	text       TEXT    NOT NULL,
	updated_at TEXT    NOT NULL,
	PRIMARY KEY (round_id, competency)
) WITHOUT ROWID;
