package assessment_test

import (
	"math"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

// fullAnswers returns valid answers: AS-IS 2 and TO-BE 4 for every competency.
func fullAnswers() []assessment.Answer {
	a := make([]assessment.Answer, 21)
	for i := range a {
		a[i] = assessment.Answer{Competency: i + 1, AsIs: 2, ToBe: 4}
	}
	return a
}

func TestNewAssessmentValid(t *testing.T) {
	q := mustQuestionnaire(t)
	a, err := q.NewAssessment(assessment.Submission{
		Lang: "da", Role: "  CEO ", Company: assessment.Company{Name: " Acme A/S ", Country: "dk", Industry: "finance", Size: "250-999", NPSYears: "1-5"},
		Answers: fullAnswers(),
	})
	if err != nil {
		t.Fatalf("NewAssessment = %v", err)
	}
	if a.Lang != "da" || a.Role != "CEO" || a.Company.Name != "Acme A/S" || a.Company.Country != "DK" || a.QuestionnaireVersion != q.Version {
		t.Errorf("NewAssessment = %+v", a)
	}
	if len(a.Ratings) != 21 || a.Ratings[20] != (assessment.Rating{AsIs: 2, ToBe: 4}) {
		t.Errorf("Ratings = %v", a.Ratings)
	}
}

func TestNewAssessmentUnknownLanguageFallsBack(t *testing.T) {
	q := mustQuestionnaire(t)
	a, err := q.NewAssessment(assessment.Submission{Lang: "xx", Answers: fullAnswers()})
	if err != nil {
		t.Fatalf("NewAssessment = %v", err)
	}
	if a.Lang != "en" {
		t.Errorf("Lang = %q, want en", a.Lang)
	}
}

func TestNewAssessmentInvalid(t *testing.T) {
	q := mustQuestionnaire(t)
	tests := []struct {
		name       string
		mutate     func(s *assessment.Submission)
		competency int
		field      string
		rule       string
		msg        string
	}{
		{"as-is above scale", func(s *assessment.Submission) { s.Answers[6].AsIs = 6 }, 7, "as_is", assessment.RuleRange, "competency 7 as_is: range {Max: 5, Min: 1, Value: 6}"},
		{"to-be below scale", func(s *assessment.Submission) { s.Answers[6].ToBe = 0 }, 7, "to_be", assessment.RuleRange, "to_be: range {Max: 5, Min: 1, Value: 0}"},
		{"non-integer", func(s *assessment.Submission) { s.Answers[0].ToBe = 3.5 }, 1, "to_be", assessment.RuleInteger, "to_be: integer {Value: 3.5}"},
		{"missing score", func(s *assessment.Submission) { s.Answers[11].AsIs = math.NaN() }, 12, "as_is", assessment.RuleRequired, "competency 12 as_is: required"},
		{"missing competency", func(s *assessment.Submission) { s.Answers = s.Answers[:20] }, 21, "as_is", assessment.RuleRequired, "competency 21 as_is: required"},
		{"duplicate competency", func(s *assessment.Submission) { s.Answers[20].Competency = 3 }, 3, "competency", assessment.RuleDuplicate, "competency 3 competency: duplicate"},
		{"unknown competency", func(s *assessment.Submission) {
			s.Answers = append(s.Answers, assessment.Answer{Competency: 22, AsIs: 1, ToBe: 1})
		}, 22, "competency", assessment.RuleUnknown, "competency 22 competency: unknown {Max: 21}"},
		{"company name too long", func(s *assessment.Submission) { s.Company.Name = strings.Repeat("æ", 201) }, 0, "company.name", assessment.RuleTooLong, "company.name: too_long {Length: 201, Max: 200}"},
		{"control character", func(s *assessment.Submission) { s.Company.Name = "Acme\x07" }, 0, "company.name", assessment.RuleControl, "control {Char: U+0007}"},
		{"invalid utf-8", func(s *assessment.Submission) { s.Role = "CE\xffO" }, 0, "respondent.role", assessment.RuleEncoding, "respondent.role: encoding"},
		{"unknown industry", func(s *assessment.Submission) { s.Company.Industry = "mining" }, 0, "company.industry", assessment.RuleChoice, `company.industry: choice {Allowed: finance, industry,`},
		{"bad country", func(s *assessment.Submission) { s.Company.Country = "DNK" }, 0, "company.country", assessment.RuleChoice, `company.country: choice {Value: "DNK"}`},
		{"unassigned country", func(s *assessment.Submission) { s.Company.Country = "XX" }, 0, "company.country", assessment.RuleChoice, `{Value: "XX"}`},
		{"bad nps years", func(s *assessment.Submission) { s.Company.NPSYears = "10" }, 0, "company.nps_years", assessment.RuleChoice, `Allowed: <1, 1-5, 5+, Value: "10"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := assessment.Submission{Lang: "en", Answers: fullAnswers()}
			tt.mutate(&s)
			a, err := q.NewAssessment(s)
			if a != nil || assessment.ErrorCode(err) != assessment.EINVALID {
				t.Fatalf("NewAssessment = %v, %v; want nil, invalid", a, err)
			}
			var found bool
			for _, fe := range assessment.FieldErrors(err) {
				if fe.Competency == tt.competency && fe.Field == tt.field {
					found = true
					if fe.Rule != tt.rule || !strings.Contains(fe.String(), tt.msg) {
						t.Errorf("field error = %+v, want rule %q and a description containing %q", fe, tt.rule, tt.msg)
					}
				}
			}
			if !found {
				t.Errorf("FieldErrors = %+v, want one for competency %d field %q", assessment.FieldErrors(err), tt.competency, tt.field)
			}
		})
	}
}

func TestValidateAnswersReportsEveryProblem(t *testing.T) {
	q := mustQuestionnaire(t)
	// Nothing answered: 21 competencies × 2 fields = 42 problems, in number order.
	_, err := q.ValidateAnswers(nil)
	fes := assessment.FieldErrors(err)
	if len(fes) != 42 {
		t.Fatalf("problems = %d, want 42", len(fes))
	}
	if fes[0].Competency != 1 || fes[41].Competency != 21 {
		t.Errorf("first/last problem = %d/%d, want 1/21", fes[0].Competency, fes[41].Competency)
	}
}

// TestCleanText: a free-text field is trimmed and refused when it is not UTF-8, holds a
// control character, holds a character that overrides the direction of the text around it
// (so "Acme\u202Eetaerc" would show as "Acmecreate" and a name could pass itself off as
// another), or consists only of characters that show nothing. Right-to-left text itself, the
// directional marks, and invisible joiners inside visible text stay allowed.
func TestCleanText(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // the cleaned text when accepted
		problem  string // the FieldError's description when refused
	}{
		{"plain", "  Acme A/S ", "Acme A/S", ""},
		{"empty", "   ", "", ""},
		{"Danish letters", "Ærø Æbler", "Ærø Æbler", ""},
		{"right-to-left script", "שלום", "שלום", ""},
		{"Arabic with a right-to-left mark", "شركة\u200F", "شركة\u200F", ""},
		{"left-to-right mark", "Acme\u200E", "Acme\u200E", ""},
		{"emoji joined by ZWJ", "Team 👩\u200D💻", "Team 👩\u200D💻", ""},
		{"a zero-width space inside a word", "Ac\u200Bme", "Ac\u200Bme", ""},
		{"control character", "Acme\x07", "", "company.name: control {Char: U+0007}"},
		{"LRE", "Acme\u202A", "", "company.name: bidi {Char: U+202A}"},
		{"RLE", "\u202BAcme", "", "company.name: bidi {Char: U+202B}"},
		{"PDF", "Ac\u202Cme", "", "company.name: bidi {Char: U+202C}"},
		{"LRO", "Ac\u202Dme", "", "company.name: bidi {Char: U+202D}"},
		{"RLO", "Acme\u202Eetaerc", "", "company.name: bidi {Char: U+202E}"},
		{"LRI", "\u2066Acme", "", "company.name: bidi {Char: U+2066}"},
		{"RLI", "\u2067Acme", "", "company.name: bidi {Char: U+2067}"},
		{"FSI", "\u2068Acme", "", "company.name: bidi {Char: U+2068}"},
		{"PDI", "Acme\u2069", "", "company.name: bidi {Char: U+2069}"},
		{"only a zero-width space", "\u200B", "", "company.name: invisible"},
		{"only zero-width characters", "\u200B\u200C\u200D\u2060\uFEFF", "", "company.name: invisible"},
		{"Hangul fillers", "\u3164\u115F\u1160\uFFA0", "", "company.name: invisible"},
		{"Braille blank", "\u2800\u2800", "", "company.name: invisible"},
		{"soft hyphen", "\u00AD", "", "company.name: invisible"},
		{"variation selector", "\uFE0F", "", "company.name: invisible"},
		{"tag characters", "\U000E0041\U000E0063", "", "company.name: invisible"},
		{"combining grapheme joiner", "\u034F", "", "company.name: invisible"},
		{"invisible around spaces", " \u200B \u2060 ", "", "company.name: invisible"},
		{"too long", strings.Repeat("a", 11), "", "company.name: too_long {Length: 11, Max: 10}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := assessment.CleanText("company.name", tt.in, 10)
			if tt.problem == "" {
				if len(problems) != 0 || got != tt.want {
					t.Errorf("CleanText(%q) = %q, %v; want %q, none", tt.in, got, problems, tt.want)
				}
				return
			}
			if len(problems) != 1 || problems[0].String() != tt.problem || got != "" {
				t.Errorf("CleanText(%q) = %q, %v; want \"\", [%s]", tt.in, got, problems, tt.problem)
			}
		})
	}
}
