package assessment_test

import (
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestCarryOver(t *testing.T) {
	prev := []assessment.Battle{
		{ID: 11, RoundID: 1, Lineage: 11, Competency: 13, Title: "Business case", Status: assessment.BattleInProgress},
		{ID: 12, RoundID: 1, Lineage: 12, Competency: 19, Title: "Calculate the effect", Status: assessment.BattleDone},
		{ID: 13, RoundID: 1, Lineage: 7, Competency: 20, Title: "Measure initiatives", Status: assessment.BattleNotStarted},
		{ID: 14, RoundID: 1, Lineage: 14, Competency: 1, Title: "One language", Status: assessment.BattleDropped},
	}
	got := assessment.CarryOver(prev)
	if len(got) != 2 {
		t.Fatalf("CarryOver = %d battles, want the 2 open ones", len(got))
	}
	if got[0].Title != "Business case" || got[0].Lineage != 11 || got[0].ID != 0 || got[0].Status != assessment.BattleInProgress {
		t.Errorf("first carried = %+v, want Business case, lineage 11, new, in progress", got[0])
	}
	if got[1].Lineage != 7 {
		t.Errorf("second carried keeps lineage %d, want 7 (carried twice)", got[1].Lineage)
	}
}

func TestNewBattle(t *testing.T) {
	q := mustQuestionnaire(t)
	b, err := q.NewBattle(13, "  Business case for NPS  ", "CFO", "2026-09-30", "")
	if err != nil || b.Title != "Business case for NPS" || b.Status != assessment.BattleNotStarted || b.Due != "2026-09-30" {
		t.Fatalf("NewBattle = %+v, %v", b, err)
	}
	tests := []struct {
		name                      string
		comp                      int
		title, owner, due, status string
		field                     string
	}{
		{"no competency", 0, "x", "", "", "", "competency"},
		{"competency 22", 22, "x", "", "", "", "competency"},
		{"no title", 1, "  ", "", "", "", "title"},
		{"bad date", 1, "x", "", "30/09/2026", "", "due"},
		{"bad status", 1, "x", "", "", "won", "status"},
		{"control in owner", 1, "x", "a\x00b", "", "", "owner"},
	}
	for _, tt := range tests {
		_, err := q.NewBattle(tt.comp, tt.title, tt.owner, tt.due, tt.status)
		fes := assessment.FieldErrors(err)
		if assessment.ErrorCode(err) != assessment.EINVALID || len(fes) != 1 || fes[0].Field != tt.field {
			t.Errorf("%s: NewBattle error = %v, want one problem with %s", tt.name, err, tt.field)
		}
	}
	if err := assessment.CheckBattleCount(4); err != nil {
		t.Errorf("CheckBattleCount(4) = %v, want nil", err)
	}
	if err := assessment.CheckBattleCount(5); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("CheckBattleCount(5) = %v, want conflict", err)
	}
}
