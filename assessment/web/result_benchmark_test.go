package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
)

// company returns an API submission for a consenting company with the given profile.
func company(name, industry string, s scores, consent bool) map[string]any {
	return map[string]any{
		"lang":              "en",
		"company":           map[string]any{"name": name, "industry": industry, "size": "250-999", "country": "DK", "nps_years": "1-5"},
		"benchmark_consent": consent,
		"answers":           s.answers(),
	}
}

type benchStats struct {
	Mean, Median, P25, P75, Percentile float64
}

type benchJSON struct {
	Group      string                           `json:"group"`
	GroupValue string                           `json:"group_value"`
	Available  bool                             `json:"available"`
	Peers      int                              `json:"peers"`
	Synthetic  bool                             `json:"synthetic"`
	Overall    *struct{ AsIs, ToBe benchStats } `json:"overall"`
	Categories map[string]struct {
		AsIs, ToBe benchStats
		Standing   string
	} `json:"categories"`
	Competencies map[string]struct{ AsIs, ToBe benchStats } `json:"competencies"`
	Summary      []string                                   `json:"summary"`
}

func (a *env) benchmark(token, group string) (benchJSON, *response) {
	a.t.Helper()
	res := a.get("/api/v1/assessments/" + token + "/benchmark?group=" + group)
	var b benchJSON
	if res.StatusCode == http.StatusOK {
		// The JSON uses as_is/to_be; decode through a generic map to keep the struct simple.
		var raw map[string]any
		if err := json.Unmarshal(res.Body, &raw); err != nil {
			a.t.Fatalf("benchmark JSON: %v", err)
		}
		fixed := strings.NewReplacer(`"as_is"`, `"AsIs"`, `"to_be"`, `"ToBe"`).Replace(string(res.Body))
		if err := json.Unmarshal([]byte(fixed), &b); err != nil {
			a.t.Fatalf("benchmark JSON: %v", err)
		}
	}
	return b, res
}

// assessmentID returns the id of the assessment with token, as the operator's commands name it.
func (a *env) assessmentID(token string) int64 {
	a.t.Helper()
	x, err := a.db.Assessment(context.Background(), token)
	if err != nil {
		a.t.Fatal(err)
	}
	return x.ID
}

func TestBenchmarkThresholdAndPool(t *testing.T) {
	a := newEnv(t, exactStats)
	ctx := context.Background()
	subject := a.submitAPI(company("Subject ApS", "finance", uniform(3, 4), true))
	// Four finance peers and five retail companies count once the operator has verified
	// them. Companies that must not count: one without consent, one nobody verified, and a
	// duplicate name of a peer, which replaces it.
	peers := []string{subject}
	for i, name := range []string{"Peer One", "Peer Two", "Peer Three", "Peer Four"} {
		peers = append(peers, a.submitAPI(company(name, "finance", uniform(i+1, 5), true)))
	}
	for i := range 5 {
		peers = append(peers, a.submitAPI(company(fmt.Sprintf("Retail %d", i), "retail", uniform(5, 5), true)))
	}
	silent := a.submitAPI(company("Silent A/S", "finance", uniform(5, 5), false))
	a.submitAPI(company("Unchecked A/S", "finance", uniform(1, 1), true))
	peers = append(peers, a.submitAPI(company("PEER one.", "finance", uniform(2, 5), true))) // same company as "Peer One": replaces it
	a.verify(peers...)
	if in, err := a.db.VerifyAssessment(ctx, a.q, a.assessmentID(silent)); err != nil || in {
		t.Errorf("verifying a test without consent = %v, %v; want it kept out", in, err)
	}

	// The first release: all companies are the subject, Peer One (now 2), Two (2), Three
	// (3), Four (4) and five retail companies at 5: 10. Finance is the subject and four
	// peers: 5 companies, but only 4 peers for the subject, which is left out of its own
	// comparison: below the threshold.
	b, res := a.benchmark(subject, "industry")
	if res.StatusCode != http.StatusOK || b.Available || b.GroupValue != "finance" {
		t.Fatalf("industry with 4 peers: status %d, %+v; want 200, unavailable", res.StatusCode, b)
	}
	for _, leak := range []string{`"peers"`, `"overall"`, `"categories"`, `"summary"`, `"release"`} {
		if strings.Contains(string(res.Body), leak) {
			t.Errorf("unavailable benchmark JSON contains %s: %s", leak, res.Body)
		}
	}
	page := doc(t, a.get("/r/"+subject+"?group=industry").Body)
	if page.Find(`[data-testid="bench-unavailable"]`).Length() != 1 || page.Find(`[data-testid="bench-table"]`).Length() != 0 {
		t.Error("result page with 4 peers must show 'not enough peers' and no table")
	}
	if txt := page.Find(`[data-testid="benchmark"]`).Text(); strings.Contains(txt, "4") {
		t.Errorf("the benchmark section reveals a count below 5: %q", squash(txt))
	}

	// All companies: 9 peers, overall AS-IS [2 2 3 4 5 5 5 5 5].
	all, res := a.benchmark(subject, "all")
	if !all.Available || all.Peers != 9 {
		t.Fatalf("all: available %v with %d peers, want true with 9", all.Available, all.Peers)
	}
	// Type 7 over 9 values: median h=4 → 5; p25 h=2 → 3; p75 h=6 → 5; mean 36/9 = 4.
	// Subject 3: 2 below, 1 equal → 100·2.5/9.
	o := all.Overall.AsIs
	if o.Median != 5 || o.P25 != 3 || o.P75 != 5 || math.Abs(o.Mean-4) > 1e-9 || math.Abs(o.Percentile-250.0/9) > 1e-9 {
		t.Errorf("all overall AS-IS = %+v, want median 5, p25 3, p75 5, mean 4, percentile 27.8", o)
	}
	// TO-BE: every peer aims for 5, the subject for 4 → percentile 0 and peers aim higher.
	if all.Overall.ToBe.Median != 5 || all.Overall.ToBe.Percentile != 0 {
		t.Errorf("all overall TO-BE = %+v, want median 5, percentile 0", all.Overall.ToBe)
	}
	if len(all.Summary) == 0 || !strings.Contains(strings.Join(all.Summary, " "), "Peers aim higher") {
		t.Errorf("summary = %q, want a sentence on where peers aim higher", all.Summary)
	}
	if c := all.Categories["leadership"]; c.Standing != assessment.StandingInLine {
		t.Errorf("leadership standing = %q, want in_line (3 within [3, 5])", c.Standing)
	}
	// The subject is one of the companies of the release, and says so.
	if !strings.Contains(string(res.Body), `"in_benchmark":true`) || !strings.Contains(string(res.Body), `"release":{"id":1,"released_at":"2026-11-23T09:30:00Z","as_of":"2026-11-23T09:30:00Z"}`) {
		t.Errorf("all: the response does not name the release and the subject's place in it: %s", res.Body)
	}

	// A newcomer to finance, not verified: not in the release, so compared with all 5 finance
	// companies (the threshold exactly): [2 2 3 3 4], median h=2 → 3, p25 h=1 → 2, p75 h=3 →
	// 3, mean 14/5; its 3: 2 below, 2 equal → 100·3/5 = 60.
	newcomer := a.submitAPI(company("Newcomer", "finance", uniform(3, 4), true))
	b, res = a.benchmark(newcomer, "industry")
	if !b.Available || b.Peers != 5 {
		t.Fatalf("newcomer, industry with 5 peers: available %v, peers %d; want true, 5", b.Available, b.Peers)
	}
	if o := b.Overall.AsIs; o.Median != 3 || o.P25 != 2 || o.P75 != 3 || math.Abs(o.Mean-2.8) > 1e-9 || o.Percentile != 60 {
		t.Errorf("newcomer, finance overall AS-IS = %+v, want median 3, p25 2, p75 3, mean 2.8, percentile 60", o)
	}
	if !strings.Contains(string(res.Body), `"in_benchmark":false`) {
		t.Errorf("newcomer: in_benchmark is not false: %s", res.Body)
	}

	// The HTML table shows the same numbers as the API, rounded to one decimal, with the date
	// of the figures and a note that the newcomer's answers are not among them.
	page = doc(t, a.get("/r/"+newcomer+"?group=industry&lang=en").Body)
	row := page.Find(`[data-testid="bench-table"] tfoot tr`)
	cells := texts(row.Find("td"))
	if len(cells) < 5 || cells[0] != "3.0" || cells[1] != "3.0" || cells[2] != "2.0–3.0" || cells[4] != "60" {
		t.Errorf("overall row = %q, want You 3.0, median 3.0, range 2.0–3.0, percentile 60", cells)
	}
	if got := squash(page.Find(`[data-testid="bench-asof"]`).Text()); !strings.HasPrefix(got, "Figures as of 23 November 2026,") {
		t.Errorf("as-of line = %q", got)
	}
	if page.Find(`[data-testid="bench-pending"]`).Length() != 1 {
		t.Error("the newcomer's page does not say its answers are not among the figures")
	}
	if page.Find(`[data-group="industry"].is-current`).Length() != 1 {
		t.Error("the industry group is not marked current in the switch")
	}
	if got := strings.Count(page.Find(`script#radar-categories-data`).Text(), `"name"`); got == 0 || !strings.Contains(page.Find(`script#radar-categories-data`).Text(), "Peer median") {
		t.Error("the category radar has no peer median series")
	}
	if doc(t, a.get("/r/"+subject+"?lang=en").Body).Find(`[data-testid="bench-pending"]`).Length() != 0 {
		t.Error("the subject's page says its answers are not among the figures, but they are")
	}

	// A fifth finance peer, verified, a day later: one company is too few for a new release,
	// so the newcomer still sees the same 5 peers.
	a.verify(a.submitAPI(company("Peer Five", "finance", uniform(5, 5), true)))
	a.nextDay()
	if b, _ = a.benchmark(newcomer, "industry"); b.Peers != 5 || a.releases() != 1 {
		t.Errorf("after one more company: %d peers, %d releases; want 5, 1", b.Peers, a.releases())
	}
}

// TestBenchmarkSubjectExcluded: the result being viewed is never among its own peers; another
// result of the same company is, since a name proves nothing.
func TestBenchmarkSubjectExcluded(t *testing.T) {
	a := newEnv(t, exactStats)
	for i := range 5 {
		a.verify(a.submitAPI(company("Peer "+string(rune('A'+i)), "finance", uniform(2, 4), true)))
	}
	// The subject is verified: it is in the release, but never in its own comparison. Its
	// score of 5 would lift the P75 if it were.
	top := a.submitAPI(company("Top Firm", "finance", uniform(5, 5), true))
	a.verify(top)
	// Pioneer took the test twice; the operator verified the later one.
	older := a.submitAPI(company("Pioneer", "finance", uniform(1, 2), true))
	later := a.submitAPI(company("PIONEER", "finance", uniform(4, 4), true))
	a.verify(later)

	// The release: 5 peers at 2, Top Firm at 5, Pioneer at 4 = 7 companies. Top Firm's peers:
	// [2 2 2 2 2 4]: P75 h=3.75 → 2; its 5 is above all → 100.
	b, _ := a.benchmark(top, "all")
	if !b.Available || b.Peers != 6 || b.Overall.AsIs.P75 != 2 || b.Overall.AsIs.Percentile != 100 {
		t.Errorf("Top Firm = peers %d, p75 %g, percentile %g; want 6, 2, 100 (itself excluded)", b.Peers, b.Overall.AsIs.P75, b.Overall.AsIs.Percentile)
	}
	if b, _ = a.benchmark(later, "all"); b.Peers != 6 {
		t.Errorf("Pioneer's verified result: %d peers, want 6 (itself excluded)", b.Peers)
	}
	// Pioneer's earlier test is another result: it is compared with all 7, Pioneer's pooled
	// result included. Leaving that out because the name matches would let anyone who types
	// a pooled company's name see the benchmark without it (TestAnonymityNameCollision).
	if b, _ = a.benchmark(older, "all"); b.Peers != 7 {
		t.Errorf("Pioneer's earlier test: %d peers, want 7", b.Peers)
	}
}

func TestBenchmarkVersionMismatchAndErrors(t *testing.T) {
	a := newEnv(t)
	// Five companies on another questionnaire version never count.
	data := strings.Replace(string(loyalty.QuestionsYAML), `version: "2026.1"`, `version: "2099.1"`, 1)
	q2, err := assessment.ParseQuestionnaire("v2.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		old, err := q2.NewAssessment(assessment.Submission{Lang: "en", BenchmarkConsent: true,
			Company: assessment.Company{Name: "Old " + string(rune('A'+i))}, Answers: uniform(2, 4).domain()})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.CreateAssessment(context.Background(), old); err != nil {
			t.Fatal(err)
		}
		if in, err := a.db.VerifyAssessment(context.Background(), q2, old.ID); err != nil || !in {
			t.Fatalf("VerifyAssessment on version 2099.1 = %v, %v", in, err)
		}
	}
	subject := a.submitAPI(map[string]any{"lang": "en", "answers": uniform(3, 4).answers()})
	if b, _ := a.benchmark(subject, "all"); b.Available {
		t.Errorf("companies on another questionnaire version were counted: %+v", b)
	}
	// No profile: only "all" exists; other groups answer 422 naming the field.
	for _, tt := range []struct{ group, field string }{{"industry", "company.industry"}, {"size", "company.size"}, {"nps_years", "company.nps_years"}, {"region", "group"}} {
		var res *response
		if tt.field == "group" {
			res = a.get("/api/v1/assessments/"+subject+"/benchmark?group="+tt.group, uncheckedRequest, "an unknown group on purpose")
		} else {
			_, res = a.benchmark(subject, tt.group)
		}
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), tt.field) {
			t.Errorf("group %s without profile = %d %s, want 422 naming %s", tt.group, res.StatusCode, res.Body, tt.field)
		}
	}
	if res := a.get("/api/v1/assessments/nope/benchmark"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown token = %d, want 404", res.StatusCode)
	}
	// The page falls back to all companies, with the profile groups disabled.
	page := doc(t, a.get("/r/"+subject+"?group=industry").Body)
	if page.Find(`[data-group="all"].is-current`).Length() != 1 || page.Find(`[data-group="industry"].is-disabled`).Length() != 1 {
		t.Error("without a profile the page must use all companies and disable the industry group")
	}
}

func TestBenchmarkDemoData(t *testing.T) {
	a := newEnv(t)
	q := a.q
	ctx := context.Background()
	if err := a.db.AddSynthetic(ctx, q.SyntheticCompanies(20, 1, time.Now())); err != nil {
		t.Fatal(err)
	}
	subject := a.submitAPI(map[string]any{"lang": "en", "answers": uniform(3, 4).answers()})
	// Without demo mode the 20 synthetic companies do not count.
	if b, _ := a.benchmark(subject, "all"); b.Available {
		t.Errorf("synthetic companies counted without demo mode: %+v", b)
	}
	demo := New(Config{Questionnaire: q, Store: a.db, Demo: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rec := httptest.NewRecorder()
	demo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/r/"+subject, nil))
	page := doc(t, rec.Body.Bytes())
	if page.Find(`[data-testid="bench-table"]`).Length() != 1 {
		t.Fatal("demo mode: no benchmark table with 20 synthetic companies")
	}
	if page.Find(`[data-testid="notice"]`).Length() != 1 || page.Find(`[data-testid="bench-demo"]`).Length() != 1 {
		t.Error("demo mode: the page does not say that the benchmark includes synthetic companies")
	}
	rec = serveChecked(t, demo, httptest.NewRequest(http.MethodGet, "/api/v1/assessments/"+subject+"/benchmark", nil))
	if !strings.Contains(rec.Body.String(), `"synthetic":true`) || !strings.Contains(rec.Body.String(), `"peers":20`) {
		t.Errorf("demo API = %s, want synthetic true and 20 peers", rec.Body)
	}
}
