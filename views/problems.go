package views

import (
	"maps"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file is the one place where the domain's errors become sentences. The domain says what
// is wrong as a code, a message key and arguments (assessment.Error) or, per field, as a rule
// and arguments (assessment.FieldError); here they are looked up in the catalogue:
//
//   - a whole error by its Key: "error.round.closed";
//   - a field problem as a sentence that names the field, for the API and summaries:
//     "problem.<field>.<rule>", else "problem.<rule>" (answer fields use "answer");
//   - a field problem as the instruction shown beside its field on a form:
//     "hint.<field>.<rule>", else "hint.<rule>", else the sentence above.
//
// A field can so get its own wording ("hint.password.too_short") without any code.

// Error returns err as a sentence for a reader. A plain list of problems (assessment.Invalid)
// with a single entry says that problem; anything that is not an *assessment.Error (an
// internal failure) gets the generic sentence, so no internal detail reaches a page or an API
// body.
func (l Loc) Error(err error) string {
	e, ok := assessment.AsError(err)
	if !ok || e.Key == "" {
		return l.T(assessment.MsgInternal)
	}
	if e.Key == assessment.MsgInvalid && len(e.Fields) == 1 {
		return l.Problem(e.Fields[0])
	}
	return l.F(e.Key, e.Args)
}

// Problem returns one field problem as a sentence that names the field:
// "competency 7: the TO-BE score 6 is outside the scale 1-5".
func (l Loc) Problem(fe assessment.FieldError) string {
	return l.F(l.fieldKey("problem", fe), l.fieldArgs(fe, "field.as_is", "field.to_be"))
}

// Hint returns one field problem as the instruction shown beside the field, which the reader
// already sees: "Choose a value from 1 to 5: Should be (TO-BE)."
func (l Loc) Hint(fe assessment.FieldError) string {
	key := l.fieldKey("hint", fe)
	if !l.Has(key) {
		return l.Problem(fe)
	}
	return l.F(key, l.fieldArgs(fe, "test.asis", "test.tobe"))
}

// HintBothMissing is the hint for a statement whose AS-IS and TO-BE are both unanswered:
// one sentence instead of two.
func (l Loc) HintBothMissing() string { return l.T("hint.answer.both") }

// fieldKey returns the most specific catalogue key of a field problem that exists.
func (l Loc) fieldKey(prefix string, fe assessment.FieldError) string {
	field := fe.Field
	switch field {
	case assessment.FieldAsIs, assessment.FieldToBe, assessment.FieldCompetency:
		field = "answer"
	}
	if k := prefix + "." + field + "." + fe.Rule; l.Has(k) {
		return k
	}
	return prefix + "." + fe.Rule
}

// fieldArgs returns the problem's arguments with the ones every message may use: Field, Number
// (the competency) and Which (the AS-IS or TO-BE label, from asIs or toBe).
func (l Loc) fieldArgs(fe assessment.FieldError, asIs, toBe string) Args {
	args := Args{"Field": fe.Field, "Number": fe.Competency, "Which": ""}
	maps.Copy(args, fe.Args)
	switch fe.Field {
	case assessment.FieldAsIs:
		args["Which"] = l.T(asIs)
	case assessment.FieldToBe:
		args["Which"] = l.T(toBe)
	}
	delete(args, "Count") // a problem's numbers are facts, not a plural choice
	return args
}
