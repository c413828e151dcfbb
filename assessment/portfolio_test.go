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
