-- Published snapshots (issue 16): a round's result is computed from a copy of the finished
-- answers taken at one moment (assessment.Publication), never from the answers as they are,
-- so that no change of the result can be tied to one late answer. published holds the copy
-- as JSON (participant id, label drawn at publication, ratings), '' for none yet;
-- published_seq counts publications and lets two requests that publish at once agree on
-- one (compare and set).
ALTER TABLE rounds ADD COLUMN published TEXT NOT NULL DEFAULT '';
ALTER TABLE rounds ADD COLUMN published_seq INTEGER NOT NULL DEFAULT 0;
