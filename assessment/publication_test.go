package assessment_test

import (
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// TestNextPublication checks the rule that keeps a round's result from changing by one
// person: each kind of change (new finishers, changed answers, removals) enters a
// publication only once at least min_participants_for_detail (3) of it have accumulated.
func TestNextPublication(t *testing.T) {
	q := mustQuestionnaire(t)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	// person returns finished participant id answering AS-IS a everywhere.
	person := func(id int64, a float64) assessment.Participant {
		return assessment.Participant{ID: id, Label: "P9" + string(rune('0'+id)), Ratings: wsRatings(a, 5, nil), FinishedAt: now}
	}
	joined := assessment.Participant{ID: 99}
	// published is the publication of the people given.
	published := func(ps ...assessment.Participant) assessment.Publication {
		p, _, changed := q.NextPublication(assessment.Publication{}, ps, now, nil)
		if !changed && len(ps) > 0 {
			t.Fatalf("publishing %d from nothing did not publish", len(ps))
		}
		return p
	}
	p1, p2, p3, p4, p5, p6 := person(1, 1), person(2, 2), person(3, 3), person(4, 4), person(5, 5), person(6, 1)
	changed := func(p assessment.Participant) assessment.Participant {
		p.Ratings = wsRatings(p.Ratings[0].AsIs, 5, map[int]assessment.Rating{7: {AsIs: 5, ToBe: 5}})
		return p
	}
	base := published(p1, p2, p3)
	for _, tt := range []struct {
		name    string
		cur     assessment.Publication
		ps      []assessment.Participant
		changed bool
		size    int
		pending assessment.Pending
	}{
		{"nobody", assessment.Publication{}, []assessment.Participant{joined}, false, 0, assessment.Pending{}},
		{"one finished", assessment.Publication{}, []assessment.Participant{p1, joined}, false, 0, assessment.Pending{Added: 1}},
		{"a room of two", assessment.Publication{}, []assessment.Participant{p1, p2}, false, 0, assessment.Pending{Added: 2}},
		{"three", assessment.Publication{}, []assessment.Participant{p1, p2, p3}, true, 3, assessment.Pending{}},
		{"nothing new", base, []assessment.Participant{p1, p2, p3}, false, 3, assessment.Pending{}},
		{"one late", base, []assessment.Participant{p1, p2, p3, p4}, false, 3, assessment.Pending{Added: 1}},
		{"two late", base, []assessment.Participant{p1, p2, p3, p4, p5}, false, 3, assessment.Pending{Added: 2}},
		{"three late", base, []assessment.Participant{p1, p2, p3, p4, p5, p6}, true, 6, assessment.Pending{}},
		{"one changed", base, []assessment.Participant{changed(p1), p2, p3}, false, 3, assessment.Pending{Changed: 1}},
		// One changed with two new would leave the two new rows as the only new ones.
		{"one changed, three late", base, []assessment.Participant{changed(p1), p2, p3, p4, p5, p6}, true, 6, assessment.Pending{Changed: 1}},
		{"three changed", base, []assessment.Participant{changed(p1), changed(p2), changed(p3)}, true, 3, assessment.Pending{}},
		{"one removed", base, []assessment.Participant{p2, p3}, false, 3, assessment.Pending{Removed: 1}},
		{"all three removed", base, []assessment.Participant{joined}, true, 0, assessment.Pending{}},
		// Three removed of four would leave one person's row: they wait.
		{"three of four removed", published(p1, p2, p3, p4), []assessment.Participant{p4}, false, 4, assessment.Pending{Removed: 3}},
	} {
		next, pending, ok := q.NextPublication(tt.cur, tt.ps, now, nil)
		if ok != tt.changed || next.Size() != tt.size || pending != tt.pending {
			t.Errorf("%s: NextPublication = %d rows, %+v, changed %v; want %d, %+v, %v", tt.name, next.Size(), pending, ok, tt.size, tt.pending, tt.changed)
		}
		if ok && next.Seq != tt.cur.Seq+1 {
			t.Errorf("%s: Seq = %d, want %d", tt.name, next.Seq, tt.cur.Seq+1)
		}
	}

	// A changed participant's published row keeps the old answers until the change shows.
	next, _, _ := q.NextPublication(base, []assessment.Participant{changed(p1), p2, p3, p4, p5, p6}, now, nil)
	for _, r := range next.Rows {
		if r.Participant == 1 && r.Ratings[6].AsIs != 1 {
			t.Errorf("participant 1's row = AS-IS %g on 7, want the published 1", r.Ratings[6].AsIs)
		}
	}
}

// TestPublicationRelabels checks that every publication draws every row's label anew, so a
// row cannot be followed from one publication to the next, and that rows come in label
// order.
func TestPublicationRelabels(t *testing.T) {
	q := mustQuestionnaire(t)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var ps []assessment.Participant
	for i := range 6 {
		ps = append(ps, assessment.Participant{ID: int64(i + 1), Label: "P1" + string(rune('0'+i)), Ratings: wsRatings(float64(1+i%5), 5, nil), FinishedAt: now})
	}
	draws := []int{40, 10, 20, 5, 60, 70, 30, 80, 90}
	intn := func(n int) int { v := draws[0]; draws = draws[1:]; return v }
	first, _, _ := q.NextPublication(assessment.Publication{}, ps[:3], now, intn)
	// Draws 40, 10, 20 → P41, P11, P21, sorted by number.
	if got := labels(first); got != "P11 P21 P41" {
		t.Errorf("first publication labels = %s, want P11 P21 P41", got)
	}
	second, _, _ := q.NextPublication(first, ps, now, intn)
	// Six rows, all new labels: 5, 60, 70, 30, 80, 90 → P6 P31 P61 P71 P81 P91.
	if got := labels(second); got != "P6 P31 P61 P71 P81 P91" {
		t.Errorf("second publication labels = %s, want all drawn anew", got)
	}
	shown := second.Participants()
	if len(shown) != 6 || !shown[0].Finished() || shown[0].Name != "" {
		t.Errorf("Participants() = %+v, want 6 finished, unnamed", shown)
	}
}

func labels(p assessment.Publication) string {
	s := ""
	for i, r := range p.Rows {
		if i > 0 {
			s += " "
		}
		s += r.Label
	}
	return s
}

// TestClosedRoundRules checks that a closed round refuses a removal and that the reveal
// waits for the threshold.
func TestClosedRoundRules(t *testing.T) {
	q := mustQuestionnaire(t)
	closed := assessment.Round{ClosedAt: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	if err := closed.CheckRemoveParticipant(); assessment.ErrorCode(err) != assessment.ECONFLICT {
		t.Errorf("CheckRemoveParticipant(closed) = %v, want conflict", err)
	}
	open := assessment.Round{}
	if err := open.CheckRemoveParticipant(); err != nil {
		t.Errorf("CheckRemoveParticipant(open) = %v", err)
	}
	for n, want := range map[int]string{0: assessment.ECONFLICT, 2: assessment.ECONFLICT, 3: "", 7: ""} {
		if got := assessment.ErrorCode(q.CheckReveal(n, n)); got != want {
			t.Errorf("CheckReveal(%d) = %q, want %q", n, got, want)
		}
	}
}
