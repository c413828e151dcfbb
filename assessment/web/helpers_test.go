package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/loyalty-cx/loyalty/assessment"
)

// doc parses an HTML body.
func doc(t testing.TB, body []byte) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return d
}

// scores is a full set of answers of a test or a participant: asIs[i] and toBe[i] are
// competency i+1's.
type scores struct {
	asIs, toBe [21]int
}

// uniform returns AS-IS a and TO-BE b for every competency.
func uniform(a, b int) scores {
	var s scores
	for i := range 21 {
		s.asIs[i], s.toBe[i] = a, b
	}
	return s
}

// with returns s with competency n set to asIs, toBe.
func (s scores) with(n, asIs, toBe int) scores {
	s.asIs[n-1], s.toBe[n-1] = asIs, toBe
	return s
}

// form returns the test form's fields for s: c{N}_as_is and c{N}_to_be.
func (s scores) form() url.Values {
	v := url.Values{}
	for i := range 21 {
		v.Set(fmt.Sprintf("c%d_as_is", i+1), strconv.Itoa(s.asIs[i]))
		v.Set(fmt.Sprintf("c%d_to_be", i+1), strconv.Itoa(s.toBe[i]))
	}
	return v
}

// answers returns s as the API's answers list.
func (s scores) answers() []map[string]any {
	out := make([]map[string]any, 21)
	for i := range 21 {
		out[i] = map[string]any{"competency": i + 1, "as_is": s.asIs[i], "to_be": s.toBe[i]}
	}
	return out
}

// pairs returns s as AS-IS, TO-BE pairs, competency 1 first.
func (s scores) pairs() [][2]int {
	out := make([][2]int, 21)
	for i := range 21 {
		out[i] = [2]int{s.asIs[i], s.toBe[i]}
	}
	return out
}

// domain returns s as the domain's answers, as a form or the API hands them on.
func (s scores) domain() []assessment.Answer {
	out := make([]assessment.Answer, 21)
	for i := range 21 {
		out[i] = assessment.Answer{Competency: i + 1, AsIs: float64(s.asIs[i]), ToBe: float64(s.toBe[i])}
	}
	return out
}

// json returns s as the API's answers list, written out: one object per competency,
// its keys in the order competency, as_is, to_be.
func (s scores) json() string {
	var parts []string
	for i := range 21 {
		parts = append(parts, fmt.Sprintf(`{"competency":%d,"as_is":%d,"to_be":%d}`, i+1, s.asIs[i], s.toBe[i]))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// mustJSON marshals v.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// submitForm posts s (plus extra fields) to /test and returns the result path from the 303.
func (a *env) submitForm(s scores, extra url.Values, header ...string) string {
	a.t.Helper()
	f := s.form()
	for k, v := range extra {
		f[k] = v
	}
	res := a.postForm("/test", f, header...)
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("POST /test = %d, want 303; body:\n%s", res.StatusCode, res.Body)
	}
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/r/") {
		a.t.Fatalf("POST /test Location = %q, want /r/{token}", loc)
	}
	return loc
}

// submitAPI posts a submission to the API and returns the token from the 201 answer.
func (a *env) submitAPI(body map[string]any) string {
	a.t.Helper()
	res := a.postJSON("/api/v1/assessments", mustJSON(a.t, body))
	if res.StatusCode != http.StatusCreated {
		a.t.Fatalf("POST /api/v1/assessments = %d, want 201; body: %s", res.StatusCode, res.Body)
	}
	var out struct{ Token, URL string }
	if err := json.Unmarshal(res.Body, &out); err != nil {
		a.t.Fatalf("201 body %s: %v", res.Body, err)
	}
	return out.Token
}

// checkedRadios returns, for each radio group of the form (c{N}_as_is, c{N}_to_be), the value
// of its checked radio; groups with none checked are absent.
func checkedRadios(d *goquery.Document) map[string]string {
	out := map[string]string{}
	d.Find(`form input[type="radio"][checked]`).Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("name", "")] = s.AttrOr("value", "")
	})
	return out
}

// texts returns the trimmed, whitespace-collapsed text of every element in sel.
func texts(sel *goquery.Selection) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) { out = append(out, squash(s.Text())) })
	return out
}

// squash trims s, collapses runs of white space to one space and drops the soft hyphens of
// long words: the text as a reader reads and copies it.
func squash(s string) string { return strings.Join(strings.Fields(stripSoft(s)), " ") }

// ratings returns s as the domain's ratings.
func (s scores) ratings() assessment.Ratings {
	out := make(assessment.Ratings, len(s.asIs))
	for i := range s.asIs {
		out[i] = assessment.Rating{AsIs: float64(s.asIs[i]), ToBe: float64(s.toBe[i])}
	}
	return out
}
