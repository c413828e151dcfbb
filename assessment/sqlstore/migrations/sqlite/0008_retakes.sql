-- Retakes (issue 10 §3): a result taken from an earlier result's "retake and compare" link
-- remembers that earlier result, so its page can show both and the deltas. The link is the
-- earlier row's id, never its token: no page or API answer of the newer result can lead to
-- the earlier one.
--
-- previous_id is NULL when there is none, against this schema's habit of NOT NULL columns:
-- ON DELETE SET NULL is what a deleted earlier result (GDPR, retention) must do to the
-- newer one, which keeps working without the comparison; nothing compares or indexes it as
-- unique. DeleteAssessment clears it explicitly too, for a connection without foreign keys.
ALTER TABLE assessments ADD COLUMN previous_id INTEGER REFERENCES assessments(id) ON DELETE SET NULL;
CREATE INDEX assessments_previous ON assessments(previous_id);
