package web

import (
	"context"
	"encoding/json"
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

func TestBenchmarkThresholdAndPool(t *testing.T) {
	a := newEnv(t)
	subject := a.submitAPI(company("Subject ApS", "finance", uniform(3, 4), true))
	// Four finance peers that count, plus companies that must not count: no consent, another
	// industry (counts only in "all"), and a duplicate name of a peer.
	for i, name := range []string{"Peer One", "Peer Two", "Peer Three", "Peer Four"} {
		a.submitAPI(company(name, "finance", uniform(i+1, 5), true))
	}
	a.submitAPI(company("Silent A/S", "finance", uniform(5, 5), false))
	a.submitAPI(company("Retail Co", "retail", uniform(5, 5), true))
	a.submitAPI(company("PEER one.", "finance", uniform(2, 5), true)) // same company as "Peer One": replaces it

	// Finance: Peer One (now 2), Two (2), Three (3), Four (4) = 4 peers → below the threshold.
	b, res := a.benchmark(subject, "industry")
	if res.StatusCode != http.StatusOK || b.Available || b.GroupValue != "finance" {
		t.Fatalf("industry with 4 peers: status %d, %+v; want 200, unavailable", res.StatusCode, b)
	}
	for _, leak := range []string{`"peers"`, `"overall"`, `"categories"`, `"summary"`} {
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

	// All companies: the 4 finance peers + Retail Co = 5 → available.
	all, _ := a.benchmark(subject, "all")
	if !all.Available || all.Peers != 5 {
		t.Fatalf("all: available %v with %d peers, want true with 5", all.Available, all.Peers)
	}
	// Overall AS-IS of the peers: [2 2 3 4 5] (Peer One's latest is 2). Type 7: median h=2 → 3;
	// p25 h=1 → 2; p75 h=3 → 4; mean 16/5 = 3.2. Subject 3: 2 below, 1 equal → 100·2.5/5 = 50.
	o := all.Overall.AsIs
	if o.Median != 3 || o.P25 != 2 || o.P75 != 4 || math.Abs(o.Mean-3.2) > 1e-9 || o.Percentile != 50 {
		t.Errorf("all overall AS-IS = %+v, want median 3, p25 2, p75 4, mean 3.2, percentile 50", o)
	}
	// TO-BE: every peer aims for 5, the subject for 4 → percentile 0 and peers aim higher.
	if all.Overall.ToBe.Median != 5 || all.Overall.ToBe.Percentile != 0 {
		t.Errorf("all overall TO-BE = %+v, want median 5, percentile 0", all.Overall.ToBe)
	}
	if len(all.Summary) == 0 || !strings.Contains(strings.Join(all.Summary, " "), "Peers aim higher") {
		t.Errorf("summary = %q, want a sentence on where peers aim higher", all.Summary)
	}
	if c := all.Categories["leadership"]; c.Standing != assessment.StandingInLine {
		t.Errorf("leadership standing = %q, want in_line (3 within [2, 4])", c.Standing)
	}

	// A fifth finance peer makes the industry group available.
	a.submitAPI(company("Peer Five", "finance", uniform(5, 5), true))
	b, _ = a.benchmark(subject, "industry")
	if !b.Available || b.Peers != 5 {
		t.Fatalf("industry with 5 peers: available %v, peers %d; want true, 5", b.Available, b.Peers)
	}

	// The HTML table shows the same numbers as the API, rounded to one decimal.
	page = doc(t, a.get("/r/"+subject+"?group=industry").Body)
	row := page.Find(`[data-testid="bench-table"] tfoot tr`)
	cells := texts(row.Find("td"))
	// Finance overall AS-IS: [2 2 3 4 5]: median 3, p25 2, p75 4; percentile 50.
	if len(cells) < 5 || cells[0] != "3.0" || cells[1] != "3.0" || cells[2] != "2.0–4.0" || cells[4] != "50" {
		t.Errorf("overall row = %q, want You 3.0, median 3.0, range 2.0–4.0, percentile 50", cells)
	}
	if got := page.Find(`[data-group="industry"].is-current`).Length(); got != 1 {
		t.Error("the industry group is not marked current in the switch")
	}
	if got := strings.Count(page.Find(`script#radar-categories-data`).Text(), `"name"`); got == 0 || !strings.Contains(page.Find(`script#radar-categories-data`).Text(), "Peer median") {
		t.Error("the category radar has no peer median series")
	}
}

func TestBenchmarkSubjectExcluded(t *testing.T) {
	a := newEnv(t)
	for i := range 5 {
		a.submitAPI(company("Peer "+string(rune('A'+i)), "finance", uniform(2, 4), true))
	}
	// The subject consents: it is in the pool, but never in its own comparison. Its score of 5
	// would lift the max to 5 if it were.
	subject := a.submitAPI(company("Top Firm", "finance", uniform(5, 5), true))
	b, _ := a.benchmark(subject, "all")
	if !b.Available || b.Peers != 5 || b.Overall.AsIs.P75 != 2 || b.Overall.AsIs.Percentile != 100 {
		t.Errorf("benchmark = peers %d, p75 %g, percentile %g; want 5, 2, 100 (subject excluded)", b.Peers, b.Overall.AsIs.P75, b.Overall.AsIs.Percentile)
	}
	// An older test of the same company is not compared with the company's newer result.
	older := a.submitAPI(company("Pioneer", "finance", uniform(1, 2), true))
	a.submitAPI(company("PIONEER", "finance", uniform(4, 4), true))
	b, _ = a.benchmark(older, "all")
	// Pool without Pioneer: 5 peers at 2 and Top Firm at 5 = 6 companies.
	if b.Peers != 6 {
		t.Errorf("older test of a pooled company: %d peers, want 6 (the company itself excluded)", b.Peers)
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
			Company: assessment.Company{Name: "Old " + string(rune('A'+i))}, Answers: answerList(uniform(2, 4))})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.CreateAssessment(context.Background(), old); err != nil {
			t.Fatal(err)
		}
	}
	subject := a.submitAPI(map[string]any{"lang": "en", "answers": uniform(3, 4).answers()})
	if b, _ := a.benchmark(subject, "all"); b.Available {
		t.Errorf("companies on another questionnaire version were counted: %+v", b)
	}
	// No profile: only "all" exists; other groups answer 422 naming the field.
	for _, tt := range []struct{ group, field string }{{"industry", "company.industry"}, {"size", "company.size"}, {"nps_years", "company.nps_years"}, {"region", "group"}} {
		_, res := a.benchmark(subject, tt.group)
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

func answerList(s scores) []assessment.Answer {
	out := make([]assessment.Answer, 21)
	for i := range out {
		out[i] = assessment.Answer{Competency: i + 1, AsIs: float64(s.asIs[i]), ToBe: float64(s.toBe[i])}
	}
	return out
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
	rec = httptest.NewRecorder()
	demo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/assessments/"+subject+"/benchmark", nil))
	if !strings.Contains(rec.Body.String(), `"synthetic":true`) || !strings.Contains(rec.Body.String(), `"peers":20`) {
		t.Errorf("demo API = %s, want synthetic true and 20 peers", rec.Body)
	}
}
