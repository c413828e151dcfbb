package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// retakeForm opens the test form from a result's "retake and compare" link and returns it.
func retakeForm(t *testing.T, e *env, resultPath string) *response {
	t.Helper()
	page := e.get(resultPath + "?lang=en")
	link, ok := doc(t, page.Body).Find(`[data-testid="retake-link"]`).Attr("href")
	if !ok {
		t.Fatalf("the result page has no retake link")
	}
	token := strings.TrimPrefix(resultPath, "/r/")
	if link != "/test?previous="+token {
		t.Fatalf("retake link = %q, want /test?previous=<the page's own token>", link)
	}
	form := e.get(link + "&lang=en")
	if form.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", link, form.StatusCode)
	}
	return form
}

// TestRetakeFormStartsFromTheProfile: the form of a retake has the earlier company profile
// and the earlier token in a hidden field, but no answer, no role and no consent; a token
// that names no result gives the plain form and says so.
func TestRetakeFormStartsFromTheProfile(t *testing.T) {
	e := newEnv(t)
	first := e.submitForm(uniform(2, 4), url.Values{"company": {"Nordlys A/S"}, "role": {"CFO"}, "industry": {"retail"},
		"size": {"250-999"}, "country": {"DK"}, "nps_years": {"1-5"}, "benchmark_consent": {"yes"}})
	form := retakeForm(t, e, first)
	d := doc(t, form.Body)
	if got := d.Find(`#company`).AttrOr("value", ""); got != "Nordlys A/S" {
		t.Errorf("company = %q, want Nordlys A/S", got)
	}
	for name, want := range map[string]string{"industry": "retail", "size": "250-999", "country": "DK", "nps_years": "1-5"} {
		if got := d.Find(`select[name="`+name+`"] option[selected]`).AttrOr("value", ""); got != want {
			t.Errorf("%s selected = %q, want %q", name, got, want)
		}
	}
	if got := d.Find(`#role`).AttrOr("value", ""); got != "" {
		t.Errorf("role = %q, want empty: the role is not carried over", got)
	}
	if d.Find(`#consent[checked]`).Length() != 0 {
		t.Error("the benchmark consent is ticked: it must be asked again")
	}
	if n := len(checkedRadios(d)); n != 0 {
		t.Errorf("%d answers filled in, want none", n)
	}
	if got := d.Find(`form input[name="previous"]`).AttrOr("value", ""); got != strings.TrimPrefix(first, "/r/") {
		t.Errorf("hidden previous = %q, want the earlier token", got)
	}
	if got := squash(d.Find(`[data-testid="retake-note"]`).Text()); !strings.Contains(got, "Nordlys A/S") || !strings.Contains(got, "23 November 2026") {
		t.Errorf("retake note = %q, want the company and the earlier date", got)
	}
	if form.Header.Get("Cache-Control") != "no-store" || form.Header.Get("X-Robots-Tag") != "noindex" {
		t.Errorf("headers of a form whose address holds a token: Cache-Control %q, X-Robots-Tag %q", form.Header.Get("Cache-Control"), form.Header.Get("X-Robots-Tag"))
	}

	gone := e.get("/test?previous=AAAAAAAAAAAAAAAAAAAAAA&lang=en")
	d = doc(t, gone.Body)
	if gone.StatusCode != http.StatusOK || d.Find(`[data-testid="retake-missing"]`).Length() != 1 || d.Find(`input[name="previous"]`).Length() != 0 {
		t.Errorf("an unknown earlier result: %d, missing note %d, hidden field %d; want 200, 1, 0", gone.StatusCode,
			d.Find(`[data-testid="retake-missing"]`).Length(), d.Find(`input[name="previous"]`).Length())
	}
}

// TestRetakeCompares: a retake shows the earlier AS-IS on its radars and the deltas; neither
// its page nor its JSON holds the earlier token; deleting the earlier result leaves the
// retake working, without the comparison.
func TestRetakeCompares(t *testing.T) {
	e := newEnv(t)
	first := e.submitForm(uniform(2, 4), url.Values{"company": {"Nordlys A/S"}})
	earlierToken := strings.TrimPrefix(first, "/r/")
	e.advance(90 * 24 * time.Hour)
	// Every AS-IS 2 → 3 but competency 13 2 → 1, and its TO-BE 4 → 5.
	second := e.submitForm(uniform(3, 4).with(13, 1, 5), url.Values{"company": {"Nordlys A/S"}, "previous": {earlierToken}})

	page := e.get(second + "?lang=en")
	if strings.Contains(page.Text, earlierToken) {
		t.Fatal("the retake's page contains the earlier token")
	}
	d := doc(t, page.Body)
	if got := squash(d.Find(`[data-testid="retake"] h2`).Text()); got != "Compared with your test of 23 November 2026" {
		t.Errorf("retake heading = %q", got)
	}
	// AS-IS: before all 2 → index 25; after (20·3 + 1)/21 = 61/21 → (61/21 − 1)/4·100 = 47.6 → 48:
	// +23. TO-BE: before 75; after (20·4 + 5)/21 → 76.2 → 76: +1.
	if got := squash(d.Find(`[data-testid="retake-asis"] .stat__value`).Text()); got != "25 → 48" {
		t.Errorf("AS-IS index before → after = %q, want 25 → 48", got)
	}
	if got := squash(d.Find(`[data-testid="retake-asis-delta"]`).Text()); got != "+23" {
		t.Errorf("AS-IS index delta = %q, want +23", got)
	}
	if got := squash(d.Find(`[data-testid="retake-tobe-delta"]`).Text()); got != "+1" {
		t.Errorf("TO-BE index delta = %q, want +1", got)
	}
	// Loyalty Strategy (13-15): AS-IS 2 → (1 + 3 + 3)/3 = 2.33: +0.3.
	row := d.Find(`[data-testid="retake-categories"] tbody tr`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "Loyalty Strategy")
	})
	if got := texts(row.Find("td")); strings.Join(got, " ") != "2.0 2.3 +0.3 4.0 4.3 +0.3" {
		t.Errorf("Loyalty Strategy row = %v, want 2.0 2.3 +0.3 4.0 4.3 +0.3", got)
	}
	// 20 competencies improved by 1: the first five by number, and the count of the rest.
	if got := texts(d.Find(`[data-testid="improved"] li`)); len(got) != 5 || got[0] != "1 Conceptual Alignment (shared view at the top): 2 → 3 (+1)" {
		t.Errorf("improved = %v, want five, starting with 1 Conceptual Alignment (shared view at the top): 2 → 3 (+1)", got)
	}
	if got := squash(d.Find(`[data-testid="improved-more"] > summary`).Text()); got != "… and 15 more." {
		t.Errorf("the folded rest of the improved says %q, want … and 15 more.", got)
	}
	// The 15 others unfold from it: a details element, with or without script.
	if got := texts(d.Find(`details[data-testid="improved-more"] li`)); len(got) != 15 || got[0] != "6 Capabilities (employees have the skills): 2 → 3 (+1)" {
		t.Errorf("the 15 more = %v, want 15 starting with 6 Capabilities", got)
	}
	if got := texts(d.Find(`[data-testid="slipped"] li`)); len(got) != 1 || got[0] != "13 KPI's (financial effect of the targets): 2 → 1 (−1)" {
		t.Errorf("slipped = %v, want [13 KPI's (financial effect of the targets): 2 → 1 (−1)]", got)
	}
	// The earlier AS-IS is a series of both radars and a column of their tables.
	for _, id := range []string{"radar-categories-data", "radar-competencies-data"} {
		if !strings.Contains(d.Find("#"+id).Text(), `"name":"Earlier AS-IS"`) {
			t.Errorf("%s has no Earlier AS-IS series", id)
		}
	}
	if got := squash(d.Find(`#radar-categories-title`).Parent().Find(`thead th`).Last().Text()); got != "Earlier AS-IS" {
		t.Errorf("the category table's last column = %q, want Earlier AS-IS", got)
	}

	api := e.get("/api/v1/assessments/" + strings.TrimPrefix(second, "/r/"))
	if strings.Contains(api.Text, earlierToken) {
		t.Fatal("the retake's JSON contains the earlier token")
	}
	var out struct {
		Previous *struct {
			CreatedAt string `json:"created_at"`
			Overall   struct {
				AsIs      float64 `json:"as_is"`
				AsIsIndex float64 `json:"as_is_index"`
			} `json:"overall"`
			Categories []struct {
				Key  string  `json:"key"`
				AsIs float64 `json:"as_is"`
			} `json:"categories"`
			Competencies []struct {
				Number int     `json:"number"`
				ToBe   float64 `json:"to_be"`
			} `json:"competencies"`
			Improved []int `json:"improved"`
			Slipped  []int `json:"slipped"`
		} `json:"previous"`
	}
	if err := json.Unmarshal(api.Body, &out); err != nil || out.Previous == nil {
		t.Fatalf("GET the retake: %v, previous %v in %s", err, out.Previous, api.Text)
	}
	pr := out.Previous
	if pr.CreatedAt != "2026-11-23T09:30:00Z" || !near(pr.Overall.AsIs, 19.0/21) || !near(pr.Overall.AsIsIndex, 19.0/21/4*100) {
		t.Errorf("previous = %s, overall AS-IS %g (index %g); want 2026-11-23T09:30:00Z, 19/21, %g", pr.CreatedAt, pr.Overall.AsIs, pr.Overall.AsIsIndex, 19.0/21/4*100)
	}
	if len(pr.Categories) != 7 || pr.Categories[4].Key != "strategy" || !near(pr.Categories[4].AsIs, 1.0/3) {
		t.Errorf("categories = %+v, want strategy fifth at +1/3", pr.Categories)
	}
	if len(pr.Competencies) != 21 || pr.Competencies[12].Number != 13 || pr.Competencies[12].ToBe != 1 {
		t.Errorf("competency 13 = %+v, want TO-BE +1", pr.Competencies[12])
	}
	if len(pr.Improved) != 20 || len(pr.Slipped) != 1 || pr.Slipped[0] != 13 {
		t.Errorf("improved %v slipped %v, want 20 and [13]", pr.Improved, pr.Slipped)
	}

	// The earlier result is deleted: the retake still works, without the comparison.
	if res := e.do(e.request("DELETE", "/api/v1/assessments/"+earlierToken, nil)); res.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE the earlier result = %d", res.StatusCode)
	}
	page = e.get(second + "?lang=en")
	d = doc(t, page.Body)
	if page.StatusCode != http.StatusOK || d.Find(`[data-testid="retake"]`).Length() != 0 || strings.Contains(d.Find("#radar-categories-data").Text(), "Earlier") {
		t.Errorf("after deleting the earlier result: %d, retake section %d, earlier series %v; want 200 and no comparison",
			page.StatusCode, d.Find(`[data-testid="retake"]`).Length(), strings.Contains(page.Text, "Earlier"))
	}
	if d.Find(`[data-testid="asis-index"]`).Text() != "48" {
		t.Errorf("the retake's own index = %q, want 48", d.Find(`[data-testid="asis-index"]`).Text())
	}
	api = e.get("/api/v1/assessments/" + strings.TrimPrefix(second, "/r/"))
	if api.StatusCode != http.StatusOK || strings.Contains(api.Text, `"previous"`) {
		t.Errorf("GET after deleting the earlier result = %d, previous present %v", api.StatusCode, strings.Contains(api.Text, `"previous"`))
	}
}

// TestRetakeUnknownPrevious: an earlier token that names no result is a problem naming the
// field, from the form (which is then sent again without it) and from the API, where it is
// reported with every other problem; nothing is stored.
func TestRetakeUnknownPrevious(t *testing.T) {
	e := newEnv(t)
	f := uniform(2, 4).form()
	f.Set("previous", "AAAAAAAAAAAAAAAAAAAAAA")
	res := e.postForm("/test?lang=en", f)
	d := doc(t, res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("POST /test with an unknown previous = %d, want 422", res.StatusCode)
	}
	if got := texts(d.Find(`[data-testid="error-summary"] li`)); len(got) != 1 || !strings.Contains(got[0], "no longer exists") {
		t.Errorf("error summary = %v, want the earlier result named", got)
	}
	if d.Find(`input[name="previous"]`).Length() != 0 || len(checkedRadios(d)) != 42 {
		t.Errorf("re-shown form: hidden previous %d, answers %d; want 0 (sent again as a first test) and 42 kept",
			d.Find(`input[name="previous"]`).Length(), len(checkedRadios(d)))
	}
	e.assertStored(0)

	body := map[string]any{"answers": uniform(2, 4).answers(), "previous": "AAAAAAAAAAAAAAAAAAAAAA", "company": map[string]any{"country": "DNK"}}
	api := e.postJSON("/api/v1/assessments", mustJSON(t, body), uncheckedRequest, "a three-letter country on purpose")
	var out struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	if err := json.Unmarshal(api.Body, &out); err != nil || api.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("API with an unknown previous = %d %s", api.StatusCode, api.Text)
	}
	if len(out.Errors) != 2 || out.Errors[0].Field != "company.country" || out.Errors[1].Field != "previous" ||
		out.Errors[1].Message != "previous: there is no result with that token" {
		t.Errorf("errors = %+v, want company.country, then previous", out.Errors)
	}
	e.assertStored(0)

	// A retake whose own answers have a problem keeps its earlier result while it is fixed.
	first := e.submitForm(uniform(2, 4), nil)
	f = uniform(3, 4).form()
	f.Del("c7_to_be")
	f.Set("previous", strings.TrimPrefix(first, "/r/"))
	res = e.postForm("/test?lang=en", f)
	d = doc(t, res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity || d.Find(`input[name="previous"]`).AttrOr("value", "") != strings.TrimPrefix(first, "/r/") ||
		d.Find(`[data-testid="retake-note"]`).Length() != 1 {
		t.Errorf("a retake with a missing answer: %d, hidden previous %q; want 422 and the earlier token kept", res.StatusCode, d.Find(`input[name="previous"]`).AttrOr("value", ""))
	}
}
