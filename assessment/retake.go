package assessment

import "time"

// A retake is a five-minute test taken again from an earlier result's "retake and compare"
// link, months later, to see what moved. The new result remembers the earlier one
// (Assessment.PreviousID, a row id: the earlier token never reaches anything of the new
// result) and shows both: the earlier AS-IS on its radars, the deltas per category and
// overall, and what improved and what slipped, by the same Compare that compares two
// workshop rounds of a client.

// FieldPrevious names, in a FieldError, the earlier result a retake refers to.
const FieldPrevious = "previous"

// UnknownPrevious is the problem of a retake whose earlier result does not exist: the token
// never named a result, or the result was deleted after the form was opened.
func UnknownPrevious() FieldError { return FieldError{Field: FieldPrevious, Rule: RuleUnknown} }

// RetakeForm returns what a retake's form starts with: the earlier result's company profile
// (name, industry, size, country, years with NPS), so that the two results describe the same
// company. Never the answers, which would anchor the new ones to the old;
// never the role, which may be someone else's now; and never the benchmark consent, which is
// asked again every time.
func (a *Assessment) RetakeForm() Submission {
	return Submission{Company: a.Company}
}

// Retake is a result compared with the earlier result it retakes.
type Retake struct {
	// Taken is when the earlier result was taken.
	Taken time.Time
	// Before is the earlier result, scored.
	Before Result
	Comparison
	// AsIsIndex and ToBeIndex are how the two indexes moved, in index points (after minus
	// before).
	AsIsIndex float64
	ToBeIndex float64
}

// CompareRetake compares after, the scored retake, with the earlier result it retakes.
func (q *Questionnaire) CompareRetake(earlier *Assessment, after Result) Retake {
	before := q.Score(earlier.Ratings)
	return Retake{Taken: earlier.CreatedAt, Before: before, Comparison: Compare(before, after),
		AsIsIndex: after.AsIsIndex - before.AsIsIndex, ToBeIndex: after.ToBeIndex - before.ToBeIndex}
}
