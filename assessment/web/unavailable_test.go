package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestDatabaseUnavailable closes the real store under a running server, as a database that
// went away would be, and checks that pages and the API answer 503 with Retry-After (a page in
// the reader's language, a problem in the API) rather than 500, and that /readyz says so.
func TestDatabaseUnavailable(t *testing.T) {
	a := newEnv(t)
	token := a.submitAPI(map[string]any{"answers": uniform(2, 4).answers()})
	if err := a.db.Close(); err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		path, lang, want string
	}{
		{"/benchmark", "da", "Midlertidigt utilgængelig"},
		{"/benchmark", "en", "Temporarily unavailable"},
		{"/r/" + token + "/delete", "sv", "Tillfälligt otillgänglig"},
		{"/r/" + token + "/delete", "nb", "Midlertidig utilgjengelig"},
	}
	for _, tt := range pages {
		res := a.get(tt.path, "Accept-Language", tt.lang)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "30" {
			t.Errorf("GET %s (%s) = %d, Retry-After %q; want 503, 30", tt.path, tt.lang, res.StatusCode, res.Header.Get("Retry-After"))
		}
		if title := doc(t, res.Body).Find("h1").Text(); !strings.Contains(title, tt.want) {
			t.Errorf("GET %s (%s) heading = %q, want %q", tt.path, tt.lang, title, tt.want)
		}
	}
	for _, tt := range []struct{ method, path, body string }{
		{"GET", "/api/v1/assessments/" + token, ""},
		{"GET", "/api/v1/benchmark", ""},
		{"POST", "/api/v1/assessments", string(mustJSON(t, map[string]any{"answers": uniform(2, 4).answers()}))},
	} {
		res := a.do(a.request(tt.method, tt.path, strings.NewReader(tt.body), "Content-Type", "application/json"))
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "30" {
			t.Errorf("%s %s = %d, Retry-After %q; want 503, 30", tt.method, tt.path, res.StatusCode, res.Header.Get("Retry-After"))
		}
		if p := problemOf(t, res); p.Code != "unavailable" || !strings.Contains(p.Detail, "cannot reach our database") {
			t.Errorf("%s %s problem = %+v, want code unavailable saying the database cannot be reached", tt.method, tt.path, p)
		}
	}
	if res := a.get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz = %d, want 503", res.StatusCode)
	}
}
