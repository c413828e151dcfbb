package assessment

import (
	"fmt"
	"math"
	"sort"
)

// Answer is one respondent's AS-IS and TO-BE score for one competency. Scores are float64 so
// that non-integers sent through the API can be reported as such instead of being silently
// truncated by a decoder; a valid answer holds whole numbers on the scale.
type Answer struct {
	Competency int     `json:"competency"`
	AsIs       float64 `json:"as_is"`
	ToBe       float64 `json:"to_be"`
}

// Rating is an AS-IS and a TO-BE score for one competency: a respondent's whole-number
// answer, or the mean of several respondents (a workshop, a company).
type Rating struct {
	AsIs float64
	ToBe float64
}

// Ratings holds one rating for each of the 21 competencies, in number order
// (Ratings[0] is competency 1).
type Ratings []Rating

// Field names used in FieldError for answers.
const (
	FieldAsIs = "as_is"
	FieldToBe = "to_be"
)

// Field validation rules (FieldError.Rule).
const (
	RuleRequired  = "required"
	RuleRange     = "range"
	RuleInteger   = "integer"
	RuleDuplicate = "duplicate"
	RuleUnknown   = "unknown"
	RuleTooLong   = "too_long"
	RuleControl   = "control"
	RuleEncoding  = "encoding"
	RuleChoice    = "choice"
)

// MissingScore marks a score that was not given (a form whose radio was left empty). The API
// cannot send it: JSON numbers are finite.
var MissingScore = math.NaN()

// ValidateAnswers checks that answers hold exactly one AS-IS and one TO-BE whole-number score on
// the scale for every competency, and returns them as Ratings in number order. Every problem is
// reported, each naming its competency and field, so a form can mark all of them at once.
func (q *Questionnaire) ValidateAnswers(answers []Answer) (Ratings, error) {
	var problems []FieldError
	seen := make(map[int]bool, len(answers))
	ratings := make(Ratings, len(q.Competencies))
	for _, a := range answers {
		if _, ok := q.Competency(a.Competency); !ok {
			problems = append(problems, FieldError{Competency: a.Competency, Field: "competency", Rule: RuleUnknown,
				Message: fmt.Sprintf("competency %d does not exist; competencies are numbered 1-%d", a.Competency, len(q.Competencies))})
			continue
		}
		if seen[a.Competency] {
			problems = append(problems, FieldError{Competency: a.Competency, Field: "competency", Rule: RuleDuplicate,
				Message: fmt.Sprintf("competency %d is answered more than once", a.Competency)})
			continue
		}
		seen[a.Competency] = true
		for _, f := range []struct {
			name  string
			label string
			v     float64
		}{{FieldAsIs, "AS-IS", a.AsIs}, {FieldToBe, "TO-BE", a.ToBe}} {
			if p, ok := q.checkScore(a.Competency, f.name, f.label, f.v); !ok {
				problems = append(problems, p)
			}
		}
		ratings[a.Competency-1] = Rating{AsIs: a.AsIs, ToBe: a.ToBe}
	}
	for _, c := range q.Competencies {
		if !seen[c.Number] {
			for _, f := range []struct{ name, label string }{{FieldAsIs, "AS-IS"}, {FieldToBe, "TO-BE"}} {
				problems = append(problems, FieldError{Competency: c.Number, Field: f.name, Rule: RuleRequired,
					Message: fmt.Sprintf("competency %d (%s): the %s score is missing", c.Number, c.Name.In("en"), f.label)})
			}
		}
	}
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Competency < problems[j].Competency })
		return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("%d answers need attention", len(problems)), Fields: problems}
	}
	return ratings, nil
}

func (q *Questionnaire) checkScore(number int, field, label string, v float64) (FieldError, bool) {
	c, _ := q.Competency(number)
	fe := FieldError{Competency: number, Field: field}
	switch {
	case math.IsNaN(v):
		fe.Rule = RuleRequired
		fe.Message = fmt.Sprintf("competency %d (%s): the %s score is missing", number, c.Name.In("en"), label)
	case v != math.Trunc(v):
		fe.Rule = RuleInteger
		fe.Message = fmt.Sprintf("competency %d (%s): the %s score %g is not a whole number", number, c.Name.In("en"), label, v)
	case v < float64(q.Scale.Min) || v > float64(q.Scale.Max):
		fe.Rule = RuleRange
		fe.Message = fmt.Sprintf("competency %d (%s): the %s score %g is outside the scale %d-%d", number, c.Name.In("en"), label, v, q.Scale.Min, q.Scale.Max)
	default:
		return fe, true
	}
	return fe, false
}

// Answers returns r as a list of answers in number order.
func (r Ratings) Answers() []Answer {
	out := make([]Answer, len(r))
	for i, x := range r {
		out[i] = Answer{Competency: i + 1, AsIs: x.AsIs, ToBe: x.ToBe}
	}
	return out
}
