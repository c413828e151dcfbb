package assessment_test

import (
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestNewNote(t *testing.T) {
	q := mustQuestionnaire(t)
	n, err := q.NewNote(5, "  Sales says yes,\r\nservice says no.  ")
	if err != nil || n.Text != "Sales says yes,\nservice says no." || n.Competency != 5 {
		t.Fatalf("NewNote = %+v, %v", n, err)
	}
	for _, tt := range []struct {
		comp  int
		text  string
		field string
		rule  string
	}{
		{22, "x", "competency", assessment.RuleChoice},
		{5, "bell\a", "note", assessment.RuleControl},
		{5, strings.Repeat("é", assessment.MaxNote+1), "note", assessment.RuleTooLong},
	} {
		_, err := q.NewNote(tt.comp, tt.text)
		fes := assessment.FieldErrors(err)
		if len(fes) != 1 || fes[0].Field != tt.field || fes[0].Rule != tt.rule {
			t.Errorf("NewNote(%d, %.10q) = %v, want %s on %s", tt.comp, tt.text, err, tt.rule, tt.field)
		}
	}
}
