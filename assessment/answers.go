package assessment

import (
	"math"
	"sort"
	"strconv"
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
	FieldAsIs       = "as_is"
	FieldToBe       = "to_be"
	FieldCompetency = "competency"
)

// Field validation rules (FieldError.Rule).
const (
	RuleRequired  = "required"
	RuleRange     = "range"
	RuleInteger   = "integer"
	RuleDuplicate = "duplicate"
	RuleUnknown   = "unknown"
	RuleTooLong   = "too_long"
	RuleTooShort  = "too_short"
	RuleControl   = "control"
	RuleEncoding  = "encoding"
	RuleChoice    = "choice"
	RuleDate      = "date"
	RuleEmail     = "email"
	// RuleBidi refuses a character that overrides the direction of text (IsBidiOverride).
	RuleBidi = "bidi"
	// RuleInvisible refuses a text made only of characters that show nothing (IsInvisible).
	RuleInvisible = "invisible"
)

// Rules lists every rule, for the test that proves each has a message.
var Rules = []string{RuleRequired, RuleRange, RuleInteger, RuleDuplicate, RuleUnknown, RuleTooLong, RuleTooShort,
	RuleControl, RuleEncoding, RuleChoice, RuleDate, RuleEmail, RuleBidi, RuleInvisible,
	RuleFreeMail, RuleDisposable, RuleBlockedDomain, RuleDomainASCII}

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
			problems = append(problems, FieldError{Competency: a.Competency, Field: FieldCompetency, Rule: RuleUnknown,
				Args: Args{"Max": len(q.Competencies)}})
			continue
		}
		if seen[a.Competency] {
			problems = append(problems, FieldError{Competency: a.Competency, Field: FieldCompetency, Rule: RuleDuplicate})
			continue
		}
		seen[a.Competency] = true
		for _, f := range []struct {
			name string
			v    float64
		}{{FieldAsIs, a.AsIs}, {FieldToBe, a.ToBe}} {
			if p, ok := q.checkScore(a.Competency, f.name, f.v); !ok {
				problems = append(problems, p)
			}
		}
		ratings[a.Competency-1] = Rating{AsIs: a.AsIs, ToBe: a.ToBe}
	}
	for _, c := range q.Competencies {
		if !seen[c.Number] {
			for _, f := range []string{FieldAsIs, FieldToBe} {
				problems = append(problems, FieldError{Competency: c.Number, Field: f, Rule: RuleRequired})
			}
		}
	}
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Competency < problems[j].Competency })
		return nil, Invalid(problems)
	}
	return ratings, nil
}

// checkScore checks one score. The problem carries the value as it was given ("3.5") and the
// scale, so a message can say what was wrong and what is allowed.
func (q *Questionnaire) checkScore(number int, field string, v float64) (FieldError, bool) {
	fe := FieldError{Competency: number, Field: field}
	switch {
	case math.IsNaN(v):
		fe.Rule = RuleRequired
	case v != math.Trunc(v):
		fe.Rule = RuleInteger
		fe.Args = Args{"Value": strconv.FormatFloat(v, 'g', -1, 64)}
	case v < float64(q.Scale.Min) || v > float64(q.Scale.Max):
		fe.Rule = RuleRange
		fe.Args = Args{"Value": strconv.FormatFloat(v, 'g', -1, 64), "Min": q.Scale.Min, "Max": q.Scale.Max}
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
