-- Exactly once (issue 16): a form sent twice (impatient taps, Back, a retry) or an API call
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
	body           BYTEA   NOT NULL DEFAULT ''::bytea,
	created_at     TEXT    NOT NULL,
	assessment_id  BIGINT  REFERENCES assessments(id) ON DELETE CASCADE,
	participant_id BIGINT  REFERENCES participants(id) ON DELETE CASCADE,
	PRIMARY KEY (scope, key_hash)
);
CREATE INDEX once_keys_created ON once_keys(created_at);
CREATE INDEX once_keys_assessment ON once_keys(assessment_id);
CREATE INDEX once_keys_participant ON once_keys(participant_id);
