package assessment_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// draft returns a draft with the given answers (competency → [as-is, to-be], 0 = not given).
func draft(given map[int][2]float64) assessment.Ratings {
	d := make(assessment.Ratings, 21)
	for i := range d {
		d[i] = assessment.Rating{AsIs: assessment.MissingScore, ToBe: assessment.MissingScore}
		if g, ok := given[i+1]; ok {
			if g[0] != 0 {
				d[i].AsIs = g[0]
			}
			if g[1] != 0 {
				d[i].ToBe = g[1]
			}
		}
	}
	return d
}

func TestParticipantProgress(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ps := []assessment.Participant{
		{Draft: draft(nil)},                                      // joined
		{Draft: draft(map[int][2]float64{3: {2, 0}})},            // answering: one side of one item, 0 complete
		{Draft: draft(map[int][2]float64{1: {2, 4}, 2: {3, 3}})}, // answering, 2 of 21
		{Ratings: wsRatings(2, 4, nil), FinishedAt: now},         // finished
	}
	want := []struct {
		status   string
		answered int
	}{{assessment.ParticipantJoined, 0}, {assessment.ParticipantAnswering, 0}, {assessment.ParticipantAnswering, 2}, {assessment.ParticipantFinished, 21}}
	for i, w := range want {
		if got := ps[i].Status(); got != w.status {
			t.Errorf("participant %d: Status = %s, want %s", i, got, w.status)
		}
		if got := ps[i].Answered(); got != w.answered {
			t.Errorf("participant %d: Answered = %d, want %d", i, got, w.answered)
		}
	}
	if got, want := assessment.ProgressOf(ps), (assessment.Progress{Joined: 4, Answering: 2, Finished: 1}); got != want {
		t.Errorf("ProgressOf = %+v, want %+v", got, want)
	}
	if got := assessment.FinishedRatings(ps); len(got) != 1 || got[0][0].AsIs != 2 {
		t.Errorf("FinishedRatings = %v, want the one finished participant", got)
	}
}

func TestShowsDetail(t *testing.T) {
	q := mustQuestionnaire(t)
	if q.MinParticipantsForDetail != 3 {
		t.Fatalf("min_participants_for_detail = %d, want 3 from questions.yaml", q.MinParticipantsForDetail)
	}
	for n, want := range map[int]bool{0: false, 2: false, 3: true, 6: true} {
		if got := q.ShowsDetail(n); got != want {
			t.Errorf("ShowsDetail(%d) = %v, want %v", n, got, want)
		}
	}
}

// TestNewLabel checks that labels avoid those taken and follow the random source, not the
// order of joining.
func TestNewLabel(t *testing.T) {
	// A source that gives 41, then 6, then 41 again, then 0.
	seq := []int{41, 6, 41, 0}
	next := func(n int) int {
		v := seq[0]
		seq = seq[1:]
		if v >= n {
			t.Fatalf("intn(%d) asked for a draw of %d", n, v)
		}
		return v
	}
	var taken []string
	for range 3 {
		taken = append(taken, assessment.NewLabel(taken, next))
	}
	// Draws 41 → P42, 6 → P7, 41 → P42 again (taken), then 0 → P1.
	if want := []string{"P42", "P7", "P1"}; !slices.Equal(taken, want) {
		t.Errorf("labels = %v, want %v", taken, want)
	}
	if got := assessment.LabelNumber("P42"); got != 42 {
		t.Errorf("LabelNumber(P42) = %d", got)
	}
	// A big room draws from twice its size: with 150 taken, numbers up to 301.
	big := make([]string, 150)
	for i := range big {
		big[i] = "x" + strings.Repeat("y", i)
	}
	var asked int
	assessment.NewLabel(big, func(n int) int { asked = n; return 0 })
	if asked != 301 {
		t.Errorf("a room of 150 draws labels from 1-%d, want 1-301", asked)
	}
}

func TestDraftAnswer(t *testing.T) {
	q := mustQuestionnaire(t)
	if err := q.DraftAnswer(7, assessment.FieldToBe, 5); err != nil {
		t.Errorf("DraftAnswer(7, to_be, 5) = %v", err)
	}
	for _, tt := range []struct {
		comp  int
		field string
		v     float64
		rule  string
	}{{0, "as_is", 3, assessment.RuleUnknown}, {7, "both", 3, assessment.RuleChoice}, {7, "as_is", 6, assessment.RuleRange}, {7, "as_is", 2.5, assessment.RuleInteger}} {
		fes := assessment.FieldErrors(q.DraftAnswer(tt.comp, tt.field, tt.v))
		if len(fes) != 1 || fes[0].Rule != tt.rule {
			t.Errorf("DraftAnswer(%d, %s, %g) = %v, want %s", tt.comp, tt.field, tt.v, fes, tt.rule)
		}
	}
}

func TestNewParticipant(t *testing.T) {
	q := mustQuestionnaire(t)
	p, err := q.NewParticipant(" Ann ", "CEO", wsRatings(2, 4, nil).Answers())
	if err != nil || p.Name != "Ann" || len(p.Ratings) != 21 {
		t.Fatalf("NewParticipant = %+v, %v", p, err)
	}
	ans := wsRatings(2, 4, nil).Answers()[:20]
	if _, err := q.NewParticipant("", "", ans); len(assessment.FieldErrors(err)) != 2 {
		t.Errorf("NewParticipant(20 answers) = %v, want 2 missing", err)
	}
}
