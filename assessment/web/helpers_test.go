package web_test

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlite"
	"github.com/loyalty-cx/loyalty/assessment/web"
)

// fixedNow is the creation time every assessment stored by a test server gets, so that dates
// on pages and in JSON can be asserted exactly.
var fixedNow = time.Date(2026, time.November, 23, 9, 30, 0, 0, time.UTC)

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write logs into while a
// test reads them.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// app is a running test server: the real web.Server on a real SQLite file, behind a real
// HTTP listener.
type app struct {
	t      testing.TB
	q      *assessment.Questionnaire
	srv    *web.Server
	store  *sqlite.DB
	http   *httptest.Server
	dbPath string
	logs   *syncBuffer
	// client does not follow redirects, so a 303 and its Location can be asserted.
	client *http.Client
	raw    *sql.DB
}

// questionnaire loads the shipped questions.yaml.
func questionnaire(t testing.TB) *assessment.Questionnaire {
	t.Helper()
	q, err := assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML)
	if err != nil {
		t.Fatalf("ParseQuestionnaire(questions.yaml) = %v", err)
	}
	return q
}

// newHandler builds the web.Server on a fresh database file in a temporary directory,
// without a listener (for benchmarks through httptest.NewRecorder).
func newHandler(t testing.TB) (*web.Server, *sqlite.DB, string, *syncBuffer) {
	t.Helper()
	q := questionnaire(t)
	path := filepath.Join(t.TempDir(), "loyalty.db")
	store, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("sqlite.Open(%q) = %v", path, err)
	}
	t.Cleanup(func() { store.Close() })
	store.Now = func() time.Time { return fixedNow }
	logs := &syncBuffer{}
	srv := web.New(web.Config{
		Questionnaire: q,
		Store:         store,
		Logger:        slog.New(slog.NewTextHandler(logs, nil)),
		Now:           func() time.Time { return fixedNow },
	})
	return srv, store, path, logs
}

// newApp starts a test server and returns it; everything is closed when the test ends.
func newApp(t testing.TB) *app {
	t.Helper()
	srv, store, path, logs := newHandler(t)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return &app{
		t: t, q: questionnaire(t), srv: srv, store: store, http: hs, dbPath: path, logs: logs, raw: raw,
		client: &http.Client{
			Timeout:       30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// count returns the number of stored assessments and answers, read from the database file
// on a connection independent of the store under test.
func (a *app) count() (assessments, answers int) {
	a.t.Helper()
	if err := a.raw.QueryRow("SELECT count(*) FROM assessments").Scan(&assessments); err != nil {
		a.t.Fatalf("count assessments: %v", err)
	}
	if err := a.raw.QueryRow("SELECT count(*) FROM answers").Scan(&answers); err != nil {
		a.t.Fatalf("count answers: %v", err)
	}
	return assessments, answers
}

// assertStored fails the test unless exactly n assessments (with 21 answers each) are stored.
func (a *app) assertStored(n int) {
	a.t.Helper()
	as, ans := a.count()
	if as != n || ans != n*21 {
		a.t.Errorf("stored assessments, answers = %d, %d; want %d, %d", as, ans, n, n*21)
	}
}

// response is a finished HTTP exchange with its body read (and un-gzipped when the server
// compressed it for an explicit Accept-Encoding: gzip).
type response struct {
	*http.Response
	Body []byte // the decoded body
	Wire int    // bytes on the wire (the compressed size when gzipped)
}

// do sends req and reads the whole response.
func (a *app) do(req *http.Request) *response {
	a.t.Helper()
	res, err := a.client.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	wire, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	body := wire
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(wire))
		if err != nil {
			a.t.Fatalf("%s %s: gzip: %v", req.Method, req.URL, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			a.t.Fatalf("%s %s: gunzip: %v", req.Method, req.URL, err)
		}
	}
	return &response{Response: res, Body: body, Wire: len(wire)}
}

// request builds a request to the test server; header is name, value, name, value, ….
func (a *app) request(method, path string, body io.Reader, header ...string) *http.Request {
	a.t.Helper()
	req, err := http.NewRequest(method, a.http.URL+path, body)
	if err != nil {
		a.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// get fetches path.
func (a *app) get(path string, header ...string) *response {
	a.t.Helper()
	return a.do(a.request(http.MethodGet, path, nil, header...))
}

// postForm sends form to path, url-encoded.
func (a *app) postForm(path string, form url.Values, header ...string) *response {
	a.t.Helper()
	h := append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)
	return a.do(a.request(http.MethodPost, path, strings.NewReader(form.Encode()), h...))
}

// postJSON sends body (raw bytes) to path as JSON.
func (a *app) postJSON(path string, body []byte, header ...string) *response {
	a.t.Helper()
	h := append([]string{"Content-Type", "application/json"}, header...)
	return a.do(a.request(http.MethodPost, path, bytes.NewReader(body), h...))
}

// doc parses an HTML body.
func doc(t testing.TB, body []byte) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return d
}

// scores is a full set of answers: scores[i] is competency i+1.
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
func (a *app) submitForm(s scores, extra url.Values, header ...string) string {
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
func (a *app) submitAPI(body map[string]any) string {
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

// squash trims s and collapses runs of white space to one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
