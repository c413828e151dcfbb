package assessment_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// Tests of the rules of a workshop round run in front of a room: statuses, progress, the
// detail threshold, anonymous labels, distributions, battles carried over, notes, countdowns.

func TestRoundStatus(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		r    assessment.Round
		want string
	}{
		{assessment.Round{}, assessment.RoundOpen},
		{assessment.Round{Revealed: true}, assessment.RoundRevealed},
		{assessment.Round{ClosedAt: now}, assessment.RoundClosed},
		{assessment.Round{ClosedAt: now, Revealed: true}, assessment.RoundClosed},
	} {
		if got := tt.r.Status(); got != tt.want {
			t.Errorf("Status(revealed %v, closed %v) = %s, want %s", tt.r.Revealed, !tt.r.Open(), got, tt.want)
		}
	}
}

func TestCountdown(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d, err := assessment.NewDeadline(now, 5)
	if err != nil || !d.Equal(now.Add(5*time.Minute)) {
		t.Fatalf("NewDeadline(5) = %v, %v; want 10:05", d, err)
	}
	for _, m := range []int{0, -1, assessment.MaxCountdownMinutes + 1} {
		if _, err := assessment.NewDeadline(now, m); assessment.ErrorCode(err) != assessment.EINVALID {
			t.Errorf("NewDeadline(%d) error = %v, want invalid", m, err)
		}
	}
	r := assessment.Round{Deadline: d}
	if left, ok := r.CountdownLeft(now.Add(90 * time.Second)); !ok || left != 210*time.Second {
		t.Errorf("CountdownLeft after 1:30 = %v, %v; want 3:30", left, ok)
	}
	if _, ok := r.CountdownLeft(d); ok {
		t.Error("CountdownLeft at the deadline = running, want ended")
	}
	r.ClosedAt = now
	if _, ok := r.CountdownLeft(now); ok {
		t.Error("CountdownLeft of a closed round = running, want none")
	}
}

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

func TestAggregateCounts(t *testing.T) {
	q := mustQuestionnaire(t)
	agg := q.Aggregate([]assessment.Ratings{
		wsRatings(2, 4, map[int]assessment.Rating{5: {AsIs: 1, ToBe: 5}}),
		wsRatings(2, 4, map[int]assessment.Rating{5: {AsIs: 1, ToBe: 4}}),
		wsRatings(2, 4, map[int]assessment.Rating{5: {AsIs: 4, ToBe: 5}}),
	})
	c := agg.Competencies[4]
	if !slices.Equal(c.AsIsCounts, []int{2, 0, 0, 1, 0}) || !slices.Equal(c.ToBeCounts, []int{0, 0, 0, 1, 2}) {
		t.Errorf("competency 5 counts = %v / %v, want [2 0 0 1 0] / [0 0 0 1 2]", c.AsIsCounts, c.ToBeCounts)
	}
}

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
