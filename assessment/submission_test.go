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
