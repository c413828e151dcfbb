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
