package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// historyReply is what GET /api/v1/benchmark?history=true says of the benchmark over time.
type historyReply struct {
	History []struct {
		ReleasedAt time.Time          `json:"released_at"`
		Companies  int                `json:"companies"`
		AsIs       map[string]float64 `json:"as_is"`
		ToBe       map[string]float64 `json:"to_be"`
	} `json:"history"`
}

// TestBenchmarkHistory: the benchmark over time is what each release published, one point per
// release that published the group anew, kept when the release itself is pruned. Without
// noise (exactStats) the medians are worked out by hand: five companies answering 2 (TO-BE 4)
// give 2; five more answering 4 (TO-BE 5) give the type-7 median of five 2s and five 4s, 3
// (TO-BE 4.5). One more company changes no figure and adds no point.
func TestBenchmarkHistory(t *testing.T) {
	e := newEnv(t, exactStats)
	read := func() historyReply {
		t.Helper()
		res := e.get("/api/v1/benchmark?history=true")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/v1/benchmark?history=true = %d %s", res.StatusCode, res.Body)
		}
		var h historyReply
		if err := json.Unmarshal(res.Body, &h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	if h := read(); len(h.History) != 0 {
		t.Fatalf("history before any release = %d points, want none", len(h.History))
	}
	for i := range 5 {
		e.verify(e.submitAPI(company(fmt.Sprintf("First %d", i), "retail", uniform(2, 4), true)))
	}
	first := e.clock()
	if h := read(); len(h.History) != 1 || h.History[0].Companies != 5 || !h.History[0].ReleasedAt.Equal(first) {
		t.Fatalf("history after the first release = %+v, want one point of 5 companies at %s", h.History, first)
	}
	// Without ?history the answer is as before.
	if res := e.get("/api/v1/benchmark"); strings.Contains(res.Text, `"history"`) {
		t.Errorf("GET /api/v1/benchmark without history=true has a history")
	}
	for i := range 5 {
		e.verify(e.submitAPI(company(fmt.Sprintf("Second %d", i), "finance", uniform(4, 5), true)))
	}
	e.nextDay()
	second := e.clock()
	h := read()
	if len(h.History) != 2 {
		t.Fatalf("history after the second release = %d points, want 2", len(h.History))
	}
	for i, want := range []struct {
		at         time.Time
		companies  int
		asIs, toBe float64
	}{{first, 5, 2, 4}, {second, 10, 3, 4.5}} {
		p := h.History[i]
		if !p.ReleasedAt.Equal(want.at) || p.Companies != want.companies || len(p.AsIs) != 7 || len(p.ToBe) != 7 {
			t.Errorf("point %d = %s, %d companies, %d categories; want %s, %d, 7", i, p.ReleasedAt, p.Companies, len(p.AsIs), want.at, want.companies)
		}
		for _, cat := range []string{"leadership", "mobilization", "yearly-plan", "assessment", "strategy", "tactics", "results"} {
			if p.AsIs[cat] != want.asIs || p.ToBe[cat] != want.toBe {
				t.Errorf("point %d, %s: median %v / %v, want %v / %v", i, cat, p.AsIs[cat], p.ToBe[cat], want.asIs, want.toBe)
			}
		}
	}
	// The first release's statistics are pruned; its point stays.
	if n := e.countRows("SELECT count(*) FROM bench_contents WHERE dim = 'all'"); n != 1 {
		t.Errorf("stored statistics of all companies = %d, want 1 (the first release's pruned)", n)
	}
	// One more company a day later: no release, no point.
	e.verify(e.submitAPI(company("Third", "retail", uniform(5, 5), true)))
	e.nextDay()
	if h := read(); len(h.History) != 2 {
		t.Errorf("history after one more company = %d points, want 2", len(h.History))
	}

	// The page draws a line per category and lists both releases, newest first.
	d := doc(t, e.get("/benchmark").Body)
	if n := d.Find(`[data-testid="trend-chart"] polyline`).Length(); n != 7 {
		t.Errorf("trend lines = %d, want 7", n)
	}
	if got := strings.Join(texts(d.Find(`[data-testid="trend-chart"] text.trend__tick[text-anchor]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "2026")
	})), " | "); got != "23 November 2026 | 24 November 2026" {
		t.Errorf("date labels = %q, want the first and the last release once each", got)
	}
	rows := d.Find(`[data-testid="trend-table"] tbody tr`)
	if rows.Length() != 2 {
		t.Fatalf("trend table rows = %d, want 2", rows.Length())
	}
	cells := func(i int) string { return strings.Join(texts(rows.Eq(i).Find("th, td")), " | ") }
	if got := cells(0); got != "24 November 2026 | 10 | 3.0 | 3.0 | 3.0 | 3.0 | 3.0 | 3.0 | 3.0" {
		t.Errorf("newest row = %q, want the second release: 10 companies, medians 3.0", got)
	}
	if got := cells(1); got != "23 November 2026 | 5 | 2.0 | 2.0 | 2.0 | 2.0 | 2.0 | 2.0 | 2.0" {
		t.Errorf("oldest row = %q, want 5 companies, medians 2.0", got)
	}
	// A group never published has no history and cannot be asked for.
	if res := e.get("/api/v1/benchmark?group=industry&value=energy&history=true"); res.StatusCode != http.StatusNotFound {
		t.Errorf("history of an unpublished group = %d, want 404", res.StatusCode)
	}
}

// TestSpreadLabels: end letters closer than the gap move down, in order; far ones stay.
func TestSpreadLabels(t *testing.T) {
	lines := []views.TrendLine{{Key: "a", EndY: 100}, {Key: "b", EndY: 50}, {Key: "c", EndY: 104}, {Key: "d", EndY: 200}}
	spreadLabels(lines, 13)
	got := fmt.Sprint(lines[0].EndY, lines[1].EndY, lines[2].EndY, lines[3].EndY)
	if want := "100 50 113 200"; got != want {
		t.Errorf("spreadLabels = %s, want %s", got, want)
	}
}

// TestTrendDateLabels: dates on the axis never repeat or crowd: the first, the last and at most
// two between, a third of the releases apart (step = (n+1)/3, none closer than a step to the
// last): 7 releases are labelled at 0, 2, 4 and 6; 12 at 0, 4 and 11.
func TestTrendDateLabels(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct{ n, labels int }{{2, 2}, {3, 3}, {6, 3}, {7, 4}, {12, 3}, {365, 3}} {
		points := make([]assessment.HistoryPoint, tt.n)
		for i := range points {
			points[i] = assessment.HistoryPoint{ReleasedAt: fixedNow.AddDate(0, 0, i), Companies: 5, AsIs: map[string]float64{}}
		}
		v := e.srv.trendView(views.Loc{Lang: "en"}, points)
		seen := map[string]bool{}
		for _, x := range v.XTicks {
			if seen[x.Label] {
				t.Errorf("%d releases: %q labelled twice", tt.n, x.Label)
			}
			seen[x.Label] = true
		}
		if len(v.XTicks) != tt.labels {
			t.Errorf("%d releases: %d date labels, want %d", tt.n, len(v.XTicks), tt.labels)
		}
	}
}
