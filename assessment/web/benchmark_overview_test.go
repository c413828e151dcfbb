package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestBenchmarkOverview(t *testing.T) {
	a := newEnv(t)
	empty := doc(t, a.get("/benchmark?lang=en").Body)
	if empty.Find(`[data-testid="pool-unavailable"]`).Length() != 1 || empty.Find(`[data-testid="pool-table"]`).Length() != 0 {
		t.Fatal("an empty pool must say there are not enough companies and show no table")
	}
	if got := strings.TrimSpace(string(a.get("/api/v1/benchmark").Body)); got != `{"group":"all","available":false,"groups":[]}` {
		t.Errorf("API on an empty pool = %s", got)
	}

	// Five consenting finance companies, all 3 → 4 (mediocre) except: competency 2 at 5 and
	// competency 1 at 4 for all (in place); 13 and 19 at 1 for all and 20 at 2,2,2,3,3
	// (median 2: missing). A sixth, retail, company and one without consent.
	c20 := []int{2, 2, 2, 3, 3}
	for i, name := range []string{"Alfa", "Beta", "Gamma", "Delta", "Epsilon"} {
		s := uniform(3, 4).with(2, 5, 5).with(1, 4, 5).with(13, 1, 4).with(19, 1, 4).with(20, c20[i], 4)
		a.submitAPI(company(name, "finance", s, true))
	}
	a.submitAPI(company("Retail One", "retail", uniform(3, 4), true))
	a.submitAPI(company("Silent", "finance", uniform(5, 5), false))

	// All companies: the six consenting ones. The retail company is 3 everywhere, so the
	// medians stay as worked out above (for 1 and 2 the median of six is still 4 and 5; for
	// 13 and 19 it is 1; for 20 it is [2 2 2 3 3 3] → 2.5, index 37.5: mediocre).
	all := doc(t, a.get("/benchmark?lang=en").Body)
	sentences := texts(all.Find(`[data-testid="pool-sentences"] li`))
	want := []string{
		"The score is mediocre on 17 of 21 competencies.",
		"In place: 2 Strategic Anchoring (CX in the business strategy) and 1 Conceptual Alignment (shared view at the top).",
		"Largely missing: 13 KPI's (financial effect of the targets) and 19 Calculate (yearly financial effect).",
	}
	if len(sentences) != 3 || sentences[0] != want[0] || sentences[1] != want[1] || sentences[2] != want[2] {
		t.Errorf("all companies: sentences = %q, want %q", sentences, want)
	}
	if got := squash(all.Find(`[data-testid="pool-companies"]`).Text()); got != "6 companies (each counted once, with its latest result)." {
		t.Errorf("company count = %q", got)
	}

	// Finance has 5 companies: offered, and 20 is missing there (median 2).
	if all.Find(`[data-group="industry:finance"]`).Length() != 1 {
		t.Fatal("the finance group (5 companies) is not offered")
	}
	if all.Find(`[data-group="industry:retail"]`).Length() != 0 {
		t.Error("the retail group (1 company) is offered")
	}
	fin := doc(t, a.get("/benchmark?lang=en&group=industry&value=finance").Body)
	if got := texts(fin.Find(`[data-testid="pool-sentences"] li`)); len(got) != 3 || got[2] != "Largely missing: 13 KPI's (financial effect of the targets), 19 Calculate (yearly financial effect) and 20 Investigate (effect of each initiative)." {
		t.Errorf("finance: sentences = %q", got)
	}
	if got := fin.Find(`tr[data-level="missing"]`).Length(); got != 3 {
		t.Errorf("finance: %d competencies marked missing, want 3", got)
	}
	// A group below the threshold cannot be opened by URL either.
	if res := a.get("/benchmark?group=industry&value=retail"); res.StatusCode != http.StatusNotFound {
		t.Errorf("retail group = %d, want 404", res.StatusCode)
	}
	if d := doc(t, a.get("/benchmark?lang=da").Body); squash(d.Find(`[data-testid="pool-sentences"] li`).First().Text()) != "Scoren er middelmådig på 17 ud af 21 kompetencer." {
		t.Error("the Danish overview does not speak the deck's Danish")
	}

	// The same picture as JSON.
	var api struct {
		Available    bool           `json:"available"`
		Companies    int            `json:"companies"`
		Counts       map[string]int `json:"counts"`
		InPlace      []int          `json:"in_place"`
		Missing      []int          `json:"missing"`
		Summary      []string       `json:"summary"`
		Competencies map[string]struct {
			Level string `json:"level"`
			AsIs  struct {
				Median float64 `json:"median"`
			} `json:"as_is"`
		} `json:"competencies"`
		Groups []struct {
			Group     string `json:"group"`
			Value     string `json:"value"`
			Companies int    `json:"companies"`
		} `json:"groups"`
	}
	res := a.get("/api/v1/benchmark?lang=en")
	if err := json.Unmarshal(res.Body, &api); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/benchmark = %d %s (%v)", res.StatusCode, res.Body, err)
	}
	if !api.Available || api.Companies != 6 || api.Counts["mediocre"] != 17 || !slices.Equal(api.InPlace, []int{2, 1}) || !slices.Equal(api.Missing, []int{13, 19}) {
		t.Errorf("API overview = %+v", api)
	}
	if c := api.Competencies["20"]; c.Level != "mediocre" || c.AsIs.Median != 2.5 {
		t.Errorf("competency 20 = %+v, want mediocre with median 2.5", c)
	}
	// Every company has size 250-999 and 1-5 years with NPS (see company()); finance has 5,
	// retail 1 (left out), in the questionnaire's order: industries, sizes, segments.
	type group = struct {
		Group     string `json:"group"`
		Value     string `json:"value"`
		Companies int    `json:"companies"`
	}
	wantGroups := []group{{"industry", "finance", 5}, {"size", "250-999", 6}, {"nps_years", "1-5", 6}}
	if !slices.Equal(api.Groups, wantGroups) {
		t.Errorf("groups = %+v, want %+v", api.Groups, wantGroups)
	}
	if len(api.Summary) != 3 || api.Summary[0] != want[0] {
		t.Errorf("summary = %q", api.Summary)
	}
	if res := a.get("/api/v1/benchmark?group=industry&value=retail"); res.StatusCode != http.StatusNotFound || !strings.Contains(string(res.Body), `"error"`) {
		t.Errorf("API retail group = %d %s, want a JSON 404", res.StatusCode, res.Body)
	}
}
