package web

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
)

// TestResultDelete: the holder of a result link deletes the result on its page, after a
// confirmation. It leaves the benchmark pool with it (it had been verified), and the page
// (cached before), its benchmark and the API answer 404 afterwards.
func TestResultDelete(t *testing.T) {
	e := newEnv(t)
	path := e.submitForm(uniform(2, 4), url.Values{"company": {"Acme A/S"}, "role": {"CEO"}, "benchmark_consent": {"yes"}})
	token := strings.TrimPrefix(path, "/r/")
	other := e.submitForm(uniform(3, 4), url.Values{"benchmark_consent": {"yes"}})
	e.verify(token, strings.TrimPrefix(other, "/r/"))
	if n := e.countRows("SELECT count(*) FROM pool_companies"); n != 2 {
		t.Fatalf("pool = %d companies, want 2", n)
	}
	for range 2 { // the second is served from the page cache
		res := e.get(path + "?lang=en")
		if link := doc(t, res.Body).Find(`[data-testid="delete-result"]`); link.AttrOr("href", "") != path+"/delete" || squash(link.Text()) != "Delete this result" {
			t.Fatalf("result page has no link to %s/delete", path)
		}
	}

	conf := e.get(path + "/delete?lang=en")
	d := doc(t, conf.Body)
	if conf.StatusCode != http.StatusOK || squash(d.Find("h1").Text()) != "Delete this result?" ||
		d.Find(`form[method="post"][action="`+path+`/delete"] input[name="confirm"]`).Length() != 1 {
		t.Fatalf("GET %s/delete = %d, want the confirmation form", path, conf.StatusCode)
	}
	if conf.Header.Get("Cache-Control") != "no-store" || conf.Header.Get("X-Robots-Tag") != "noindex" {
		t.Error("the confirmation page may be stored or indexed")
	}
	if res := e.postForm(path+"/delete?lang=en", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, "Tick the box to confirm.") {
		t.Errorf("POST without the box = %d, want 422 asking to tick it", res.StatusCode)
	}
	// The browser's own "please tick this box" came in the browser's language: the form leaves
	// the check to the server, which answers in the page's.
	if d.Find(`form[action="`+path+`/delete"][novalidate]`).Length() != 1 {
		t.Error("the delete form lets the browser validate the box, in the browser's language")
	}
	if res := e.postForm(path+"/delete?lang=da", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text, "Sæt flueben for at bekræfte.") {
		t.Errorf("POST without the box in Danish = %d, want 422 in Danish", res.StatusCode)
	}
	if res := e.postForm(path+"/delete", url.Values{"confirm": {"yes"}}, "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site POST = %d, want 403", res.StatusCode)
	}
	e.assertStored(2)

	res := e.postForm(path+"/delete?lang=da", url.Values{"confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther || res.Redirect != "/deleted?lang=da" {
		t.Fatalf("POST %s/delete = %d %q, want 303 to /deleted?lang=da", path, res.StatusCode, res.Redirect)
	}
	if got := squash(doc(t, e.get(res.Redirect).Body).Find("h1").Text()); got != "Resultatet er slettet" {
		t.Errorf("the page after deleting says %q", got)
	}
	e.assertStored(1)
	if n := e.countRows("SELECT count(*) FROM pool_companies"); n != 1 {
		t.Errorf("pool = %d companies after the deletion, want 1", n)
	}
	for _, p := range []string{path, path + "/delete", "/api/v1/assessments/" + token, "/api/v1/assessments/" + token + "/benchmark"} {
		if res := e.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after the deletion = %d, want 404", p, res.StatusCode)
		}
	}
	if res := e.postForm(path+"/delete", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleting again = %d, want 404", res.StatusCode)
	}
	if res := e.get(other); res.StatusCode != http.StatusOK {
		t.Errorf("the other result = %d, want 200", res.StatusCode)
	}
}

// TestAPIDeleteAssessment: DELETE /api/v1/assessments/{token} answers 204, then 404; the
// result page a server had cached is not served by it afterwards even when another server
// on the same database did the deleting (the deletion changes the result generation, which
// is part of the cache key).
func TestAPIDeleteAssessment(t *testing.T) {
	e := newEnv(t)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers()})
	if res := e.get("/r/" + token); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /r/%s = %d", token, res.StatusCode)
	}
	other := New(e.cfg) // a second process on the same file
	rec := serveChecked(t, other, httptest.NewRequest(http.MethodDelete, "/api/v1/assessments/"+token, nil))
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("DELETE = %d %q, want 204 without a body", rec.Code, rec.Body)
	}
	if res := e.get("/r/" + token); res.StatusCode != http.StatusNotFound {
		t.Errorf("the first server's cached page after the deletion = %d, want 404", res.StatusCode)
	}
	res := e.do(e.request(http.MethodDelete, "/api/v1/assessments/"+token, nil))
	if res.StatusCode != http.StatusNotFound || !strings.Contains(res.Text, "There is no result with that link.") {
		t.Errorf("DELETE again = %d %s, want 404 JSON", res.StatusCode, res.Text)
	}
	e.assertStored(0)
}

// TestRequestLogHidesResultTokens: a result token is the only key to a result, so the
// request log masks it on every path that carries it. The pages' /r/… always were; the
// API's /api/v1/assessments/… were written in full.
func TestRequestLogHidesResultTokens(t *testing.T) {
	e := newEnv(t)
	token := e.submitAPI(map[string]any{"answers": uniform(2, 4).answers()})
	for _, p := range []string{"/api/v1/assessments/" + token, "/api/v1/assessments/" + token + "/benchmark", "/r/" + token + "/delete"} {
		e.get(p)
	}
	e.do(e.request("DELETE", "/api/v1/assessments/"+token, nil))
	logs := e.logs.String()
	if strings.Contains(logs, token) {
		t.Errorf("the request log contains the result token:\n%s", logs)
	}
	if !strings.Contains(logs, "path=/api/v1/assessments/…") {
		t.Errorf("the request log does not show the masked API path:\n%s", logs)
	}
}

// TestResultDeleteLeavesNoTrace: after "delete my result" through HTTP, no byte of the
// database's files (the file, its -wal and its -shm) holds the result's token or its company
// name (issue 16: the row stayed readable in a free page). Before the deletion both are found
// there, so the search can fail.
func TestResultDeleteLeavesNoTrace(t *testing.T) {
	if sqltest.Postgres() {
		t.Skip("greps SQLite's files; PostgreSQL keeps dead tuples until VACUUM (docs/privacy.md)")
	}
	e := newEnv(t)
	company := "Zyxwvut Erasure Holding"
	path := e.submitForm(uniform(2, 4), url.Values{"company": {company}, "role": {"Chief Vanishing Officer"}})
	token := strings.TrimPrefix(path, "/r/")
	e.submitForm(uniform(3, 4), url.Values{"company": {"Another Company"}}) // a neighbour that stays
	files := []string{e.path, e.path + "-wal", e.path + "-shm"}
	find := func() map[string][]string {
		found := map[string][]string{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, needle := range []string{token, company, "Chief Vanishing Officer"} {
				if bytes.Contains(b, []byte(needle)) {
					found[filepath.Base(f)] = append(found[filepath.Base(f)], needle)
				}
			}
		}
		return found
	}
	if found := find(); len(found) == 0 {
		t.Fatalf("before the deletion the files hold neither the token nor the company: the search cannot fail")
	}
	if res := e.postForm(path+"/delete", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s/delete = %d, want 303", path, res.StatusCode)
	}
	if found := find(); len(found) != 0 {
		t.Errorf("after the deletion the files still hold %v", found)
	}
	e.assertStored(1)
	if b, _ := os.ReadFile(e.path); !bytes.Contains(b, []byte("Another Company")) {
		t.Errorf("the other result is not in the database file: the checkpoint did not copy the log into it")
	}
}
