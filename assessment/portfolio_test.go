package assessment_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// TestPortfolioRows: the portfolio's filter and sorts, as the page and its export show them.
// Clients without an answered round come last except by name; a round still open counts
// from when it was opened.
func TestPortfolioRows(t *testing.T) {
	q := mustQuestionnaire(t)
	closed := func(id int64, at time.Time) *assessment.Round {
		return &assessment.Round{ID: id, Title: fmt.Sprint("R", id), OpenedAt: at.Add(-time.Hour), ClosedAt: at}
	}
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	at := day(1)
	entry := func(name, industry string, r *assessment.Round, ratings assessment.Ratings) assessment.PortfolioEntry {
		e := assessment.PortfolioEntry{Client: assessment.Client{Profile: assessment.Company{Name: name, Industry: industry}}, Round: r}
		if ratings != nil {
			// Three alike: a round's result counts nobody below min_participants_for_detail.
			for i := range 3 {
				e.Participants = append(e.Participants, assessment.Participant{ID: int64(i + 1), Label: fmt.Sprint("P", i+1), Ratings: ratings, FinishedAt: at})
			}
			if r != nil && r.Open() {
				// An open round shows its publication only.
				r.Published, _, _ = q.NextPublication(assessment.Publication{}, e.Participants, at, nil)
			}
		}
		return e
	}
	open := &assessment.Round{ID: 9, Title: "Open", OpenedAt: day(20)}
	entries := []assessment.PortfolioEntry{
		entry("alpha", "retail", closed(1, day(5)), uniform(2, 3)),   // AS-IS 2, gap 1
		entry("Bravo", "finance", closed(2, day(10)), uniform(3, 5)), // AS-IS 3, gap 2
		entry("charlie", "retail", nil, nil),                         // no round
		entry("Delta", "retail", open, uniform(1, 5)),                // AS-IS 1, gap 4, assessed when opened
	}
	names := func(rows []assessment.PortfolioRow) string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Client.Profile.Name)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct{ industry, sort, want string }{
		{"", "name", "alpha Bravo charlie Delta"},
		{"", "", "alpha Bravo charlie Delta"},
		{"", "bogus", "alpha Bravo charlie Delta"},
		{"", "asis", "Delta alpha Bravo charlie"},
		{"", "gap", "Delta Bravo alpha charlie"},
		{"", "date", "Delta Bravo alpha charlie"},
		{"retail", "asis", "Delta alpha charlie"},
		{"finance", "name", "Bravo"},
		{"health", "name", ""},
	} {
		rows := q.PortfolioRows(entries, tc.industry, tc.sort)
		if got := names(rows); got != tc.want {
			t.Errorf("PortfolioRows(%q, %q) = %q, want %q", tc.industry, tc.sort, got, tc.want)
		}
	}
	rows := q.PortfolioRows(entries, "", "name")
	if r := rows[3]; !r.HasData || !r.Assessed.Equal(day(20)) || r.Result.Overall.AsIs != 1 || r.Result.Overall.Gap != 4 {
		t.Errorf("Delta = %+v", r)
	}
	if r := rows[0]; !r.HasData || !r.Assessed.Equal(day(5)) {
		t.Errorf("alpha assessed %v, want when its round closed", r.Assessed)
	}
	if rows[2].HasData {
		t.Error("charlie without a round has data")
	}
}

// TestLatestAnswered: which round represents a client in the portfolio.
func TestLatestAnswered(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	round := func(id int64, opened, closed int, answered bool) assessment.AnsweredRound {
		r := assessment.Round{ID: id, OpenedAt: day(opened)}
		if closed > 0 {
			r.ClosedAt = day(closed)
		}
		return assessment.AnsweredRound{Round: r, Answered: answered}
	}
	tests := []struct {
		name   string
		rounds []assessment.AnsweredRound
		want   int64 // 0: none
	}{
		{"no rounds", nil, 0},
		{"only unanswered rounds", []assessment.AnsweredRound{round(1, 1, 2, false), round(2, 3, 0, false)}, 0},
		{"a closed round beats a newer open one", []assessment.AnsweredRound{round(1, 1, 2, true), round(2, 5, 0, true)}, 1},
		{"the later close wins, whatever the opening", []assessment.AnsweredRound{round(1, 1, 9, true), round(2, 4, 6, true)}, 1},
		{"an unanswered closed round does not count", []assessment.AnsweredRound{round(1, 1, 0, true), round(2, 3, 4, false)}, 1},
		{"open rounds only: the latest opened", []assessment.AnsweredRound{round(1, 1, 0, true), round(2, 3, 0, true), round(3, 2, 0, true)}, 2},
		{"same times: the later ID", []assessment.AnsweredRound{round(4, 1, 2, true), round(7, 1, 2, true), round(5, 1, 2, true)}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := assessment.LatestAnswered(tt.rounds)
			if tt.want == 0 {
				if ok {
					t.Errorf("LatestAnswered = round %d, want none", got.ID)
				}
				return
			}
			if !ok || got.ID != tt.want {
				t.Errorf("LatestAnswered = round %d (%v), want round %d", got.ID, ok, tt.want)
			}
		})
	}
}

// TestPortfolioSpread: each category's points are the clients with data, and its quartiles
// are type 7 of their AS-IS, worked by hand: values 1, 2, 4, 5 → h = 3·0.25 = 0.75: 1 + 0.75·1
// = 1.75; median h = 1.5: 2 + 0.5·2 = 3; P75 h = 2.25: 4 + 0.25·1 = 4.25.
func TestPortfolioSpread(t *testing.T) {
	q := mustQuestionnaire(t)
	row := func(name string, v float64, data bool) assessment.PortfolioRow {
		r := assessment.PortfolioRow{PortfolioEntry: assessment.PortfolioEntry{Client: assessment.Client{Profile: assessment.Company{Name: name}}}, HasData: data}
		if data {
			for range q.Categories {
				r.Result.Categories = append(r.Result.Categories, assessment.GroupScore{Score: assessment.Score{AsIs: v}})
			}
		}
		return r
	}
	rows := []assessment.PortfolioRow{row("A", 5, true), row("B", 1, true), row("None", 0, false), row("C", 4, true), row("D", 2, true)}
	got := q.PortfolioSpread(rows)
	if len(got) != len(q.Categories) {
		t.Fatalf("PortfolioSpread = %d categories, want %d", len(got), len(q.Categories))
	}
	for i, s := range got {
		if s.Category.Key != q.Categories[i].Key || len(s.Points) != 4 || s.P25 != 1.75 || s.Median != 3 || s.P75 != 4.25 {
			t.Errorf("category %d = %s, %d points, %v/%v/%v; want %s, 4 points, 1.75/3/4.25", i, s.Category.Key, len(s.Points), s.P25, s.Median, s.P75, q.Categories[i].Key)
		}
		if names := []string{s.Points[0].Client.Profile.Name, s.Points[3].Client.Profile.Name}; names[0] != "A" || names[1] != "D" {
			t.Errorf("category %d points = %v…, want the rows' order A … D", i, names)
		}
	}
}

// TestMovementOf: closed rounds oldest first (by closing, then id), open ones left out, and the
// change from the first to the last.
func TestMovementOf(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	step := func(id int64, closed time.Time, asIs float64) assessment.RoundStep {
		return assessment.RoundStep{Round: assessment.Round{ID: id, OpenedAt: day(1), ClosedAt: closed}, AsIs: asIs}
	}
	for _, tt := range []struct {
		name   string
		steps  []assessment.RoundStep
		ids    []int64
		change float64
	}{
		{"none", nil, nil, 0},
		{"one", []assessment.RoundStep{step(1, day(2), 2)}, []int64{1}, 0},
		{"ordered by closing", []assessment.RoundStep{step(3, day(9), 3.5), step(1, day(2), 2), step(2, day(5), 2.5)}, []int64{1, 2, 3}, 1.5},
		{"same day by id", []assessment.RoundStep{step(5, day(2), 4), step(4, day(2), 3)}, []int64{4, 5}, 1},
		{"open left out", []assessment.RoundStep{step(1, day(2), 2), step(2, time.Time{}, 5)}, []int64{1}, 0},
	} {
		m := assessment.MovementOf(tt.steps)
		var ids []int64
		for _, s := range m.Steps {
			ids = append(ids, s.Round.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tt.ids) || m.Change != tt.change {
			t.Errorf("%s: MovementOf = %v, change %v; want %v, %v", tt.name, ids, m.Change, tt.ids, tt.change)
		}
	}
}
