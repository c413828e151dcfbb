package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"golang.org/x/crypto/argon2"
)

// This file is the one web test harness. newEnv starts the real Server on a real SQLite file
// in a temporary directory, behind a real HTTP listener, with a clock the test moves; a test
// of public pages uses the env's own client (get, postForm, postJSON), a test of the workspace
// signs in with login and gets a browser with a cookie jar. Both read responses the same way.

// fixedNow is the time a test server starts at, so that dates on pages and in JSON can be
// asserted exactly.
var fixedNow = time.Date(2026, time.November, 23, 9, 30, 0, 0, time.UTC)

// env is a running test server.
type env struct {
	t    testing.TB
	q    *assessment.Questionnaire
	srv  *Server
	db   *sqlstore.DB
	http *httptest.Server
	path string
	logs *syncBuffer
	// raw is a connection of its own to the database file, to check what was stored
	// independently of the store under test.
	raw *sql.DB
	// client does not follow redirects, so a 303 and its Location can be asserted.
	client *http.Client

	mu  sync.Mutex
	now time.Time

	// a and b are the workspaces withWorkspaces adds.
	a, b *assessment.Workspace

	// cfg is the configuration the server was started with, for restart.
	cfg Config
}

// option changes the configuration of a test server.
type option func(*Config)

// demoMode counts synthetic companies in benchmarks.
func demoMode(c *Config) { c.Demo = true }

// livePoll makes live pages poll every d, so a browser test sees a change at once.
func livePoll(d time.Duration) option { return func(c *Config) { c.LivePoll = d } }

// withBaseURL sets the public address every absolute link and QR code is built on.
func withBaseURL(u string) option { return func(c *Config) { c.BaseURL = u } }

// behindProxy makes the server take client addresses from X-Forwarded-For, so that a test
// can send requests from several addresses (browserFrom).
func behindProxy(c *Config) { c.TrustProxy = true }

// noPageCache makes every result page render, for benchmarks of rendering.
func noPageCache(c *Config) { c.ResultCacheSize = -1 }

// exactStats makes benchmark releases draw no noise, for tests of statistics worked out by
// hand. (Every other test server draws seeded noise: see newEnv.)
func exactStats(c *Config) { c.Noise = zeroNoise{} }

// zeroNoise is a noise source that always draws 0: no Laplace draw from it moves anything.
type zeroNoise struct{}

func (zeroNoise) DiscreteLaplace(assessment.NoiseScale) int64 { return 0 }

// newEnv starts a test server; everything is closed when the test ends.
func newEnv(t testing.TB, opts ...option) *env {
	t.Helper()
	e := &env{t: t, q: questionnaire(t), now: fixedNow, logs: &syncBuffer{}}
	e.path = freshDatabase(t)
	var err error
	if e.db, err = sqlstore.Open(e.path); err != nil {
		t.Fatalf("sqlstore.Open(%q) = %v", e.path, err)
	}
	t.Cleanup(func() { e.db.Close() })
	e.db.Now = e.clock
	// Releases draw real noise, the same in every run.
	cfg := Config{Questionnaire: e.q, Store: e.db, Now: e.clock, Logger: slog.New(slog.NewTextHandler(e.logs, nil)),
		Noise: assessment.NewSampler(rand.New(rand.NewPCG(12, 1)))}
	for _, o := range opts {
		o(&cfg)
	}
	e.cfg = cfg
	e.srv = New(cfg)
	e.http = httptest.NewServer(e.srv)
	// Streams never go idle: end them first, as cmd/loyalty does at shutdown, or Close
	// waits for each browser tab that still holds one.
	t.Cleanup(func() { e.srv.CloseStreams(); e.http.Close() })
	driver, dsn := "sqlite", "file:"+e.path+"?_pragma=busy_timeout(5000)"
	if sqlstore.IsPostgres(e.path) {
		driver, dsn = "pgx", e.path
	}
	if e.raw, err = sql.Open(driver, dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.raw.Close() })
	e.client = &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return e
}

// restart replaces the running server by a new one on the same database and address, as a
// restart of the program would: whatever the old one kept in memory is gone.
func (e *env) restart() {
	e.srv = New(e.cfg)
	e.http.Config.Handler = e.srv
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

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// advance moves the clock of the server and its store.
func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

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

// response is a finished HTTP exchange with its body read (and un-gzipped when the server
// compressed it).
type response struct {
	*http.Response
	Body []byte // the decoded body
	Text string // the decoded body as text
	Wire int    // bytes on the wire (the compressed size when gzipped)
	// Redirect is the Location header of a redirect.
	Redirect string
}

// send sends req with client and reads the whole response. A request under /api/v1 and its
// response are validated against the API's description (openapi_test.go).
func send(t testing.TB, client *http.Client, req *http.Request) *response {
	t.Helper()
	var ac *apiContract
	var reqBody []byte
	if underAPI(req) {
		ac = contract(t)
		reqBody = requestBody(t, req)
		ac.checkRequest(t, req, reqBody)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	wire, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	body := wire
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(wire))
		if err != nil {
			t.Fatalf("%s %s: gzip: %v", req.Method, req.URL, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s %s: gunzip: %v", req.Method, req.URL, err)
		}
	}
	if ac != nil {
		ac.checkResponse(t, req, reqBody, res, body)
	}
	return &response{Response: res, Body: body, Text: string(body), Wire: len(wire), Redirect: res.Header.Get("Location")}
}

// request builds a request to the test server; header is name, value, name, value, …. The
// pair uncheckedRequest, reason is no header: it exempts a deliberately invalid API request
// from validation against the description (its response is still validated).
func (e *env) request(method, path string, body io.Reader, header ...string) *http.Request {
	e.t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == uncheckedRequest {
			req = markUnchecked(req, header[i+1])
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// do sends req with the env's own client (no cookies).
func (e *env) do(req *http.Request) *response {
	e.t.Helper()
	return send(e.t, e.client, req)
}

// get fetches path.
func (e *env) get(path string, header ...string) *response {
	e.t.Helper()
	return e.do(e.request(http.MethodGet, path, nil, header...))
}

// postForm sends form to path, url-encoded.
func (e *env) postForm(path string, form url.Values, header ...string) *response {
	e.t.Helper()
	h := append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)
	return e.do(e.request(http.MethodPost, path, strings.NewReader(form.Encode()), h...))
}

// postJSON sends body (raw bytes) to path as JSON.
func (e *env) postJSON(path string, body []byte, header ...string) *response {
	e.t.Helper()
	h := append([]string{"Content-Type", "application/json"}, header...)
	return e.do(e.request(http.MethodPost, path, bytes.NewReader(body), h...))
}

// count returns the number of stored assessments and answers.
func (e *env) count() (assessments, answers int) {
	e.t.Helper()
	if err := e.raw.QueryRow("SELECT count(*) FROM assessments").Scan(&assessments); err != nil {
		e.t.Fatalf("count assessments: %v", err)
	}
	if err := e.raw.QueryRow("SELECT count(*) FROM answers").Scan(&answers); err != nil {
		e.t.Fatalf("count answers: %v", err)
	}
	return assessments, answers
}

// assertStored fails the test unless exactly n assessments (with 21 answers each) are stored.
func (e *env) assertStored(n int) {
	e.t.Helper()
	as, ans := e.count()
	if as != n || ans != n*21 {
		e.t.Errorf("stored assessments, answers = %d, %d; want %d, %d", as, ans, n, n*21)
	}
}

// countRows returns the single number query selects.
func (e *env) countRows(query string) int {
	e.t.Helper()
	var n int
	if err := e.rawQuery(query, &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// rawQuery runs a query on the env's own connection to the database file.
func (e *env) rawQuery(query string, dst ...any) error {
	return e.raw.QueryRow(query).Scan(dst...)
}

// The consultant workspace.

// wsStart is when a workspace test's clock starts.
var wsStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const wsPassword = "correct horse battery staple"

// newWSEnv starts a test server with two workspaces: A (Ann, admin; Carl, consultant) and
// B (Bob), its clock at wsStart.
func newWSEnv(t testing.TB, opts ...option) *env {
	t.Helper()
	e := newEnv(t, opts...)
	e.now = wsStart
	ctx := context.Background()
	var err error
	if e.a, err = e.db.EnsureWorkspace(ctx, "Alpha Consulting"); err != nil {
		t.Fatal(err)
	}
	if e.b, err = e.db.EnsureWorkspace(ctx, "Beta Advisory"); err != nil {
		t.Fatal(err)
	}
	hash := cheapHash(wsPassword)
	for _, u := range []struct {
		ws          *assessment.Workspace
		email, name string
		role        string
	}{
		{e.a, "ann@alpha.example", "Ann", assessment.RoleAdmin},
		{e.a, "carl@alpha.example", "Carl", assessment.RoleConsultant},
		{e.b, "bob@beta.example", "Bob", assessment.RoleAdmin},
	} {
		nu, err := assessment.NewUser(u.email, u.name, u.role)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.CreateUser(ctx, u.ws.ID, &nu, hash); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// cheapHash is an argon2id hash of pw in the format auth.HashPassword writes, with the
// smallest parameters argon2 allows (64 KiB, one pass) instead of OWASP's 19 MiB and two.
// auth.CheckPassword reads the parameters from the hash, so signing in works as with a real
// one; what changes is the time: the login-limit tests check 100 passwords, and under -race
// each real check took half a second. auth's own tests keep the real parameters.
func cheapHash(pw string) string {
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte(pw), salt, 1, 64, 1, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=64,t=1,p=1$%s$%s", argon2.Version, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// browser is one browser: a cookie jar, no redirect following, and the CSRF token of its
// session once signed in.
type browser struct {
	e    *env
	http *http.Client
	csrf string
	// from is the client address the browser's requests claim in X-Forwarded-For (see
	// browserFrom); "" sends none.
	from string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn fetches the login form, as a browser does, and sends form with the form's
// double-submit token (the cookie jar keeps its cookie).
func (c *browser) signIn(form url.Values) *response {
	c.e.t.Helper()
	page := c.get("/login")
	if page.StatusCode != http.StatusOK {
		c.e.t.Fatalf("GET /login = %d", page.StatusCode)
	}
	form = maps.Clone(form)
	form.Set("_csrf", csrfOf(c.e.t, page.Text))
	return c.post("/login", form)
}

// login signs in and keeps the session's CSRF token.
func (e *env) login(email string) *browser {
	e.t.Helper()
	c := e.browser()
	res := c.signIn(url.Values{"email": {email}, "password": {wsPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Redirect != "/w" {
		e.t.Fatalf("login %s = %d %q, want 303 to /w", email, res.StatusCode, res.Redirect)
	}
	page := c.get("/w/clients")
	c.csrf = csrfOf(e.t, page.Text)
	return c
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func csrfOf(t testing.TB, body string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no _csrf field in page:\n%.500s", body)
	}
	return m[1]
}

// browserFrom is a browser at client address ip, for a server started with behindProxy.
func (e *env) browserFrom(ip string) *browser {
	c := e.browser()
	c.from = ip
	return c
}

func (c *browser) do(req *http.Request) *response {
	c.e.t.Helper()
	if c.from != "" {
		req.Header.Set("X-Forwarded-For", c.from)
	}
	return send(c.e.t, c.http, req)
}

func (c *browser) get(path string, header ...string) *response {
	return c.do(c.e.request(http.MethodGet, path, nil, header...))
}

// post sends a form as is (add _csrf yourself, or use postCSRF).
func (c *browser) post(path string, form url.Values, header ...string) *response {
	h := append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)
	return c.do(c.e.request(http.MethodPost, path, strings.NewReader(form.Encode()), h...))
}

// postCSRF sends a form with the session's CSRF token.
func (c *browser) postCSRF(path string, form url.Values) *response {
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.csrf)
	return c.post(path, form)
}

// api sends a JSON request, with a Bearer token when token is not empty.
func (c *browser) api(method, path, token, body string, header ...string) *response {
	h := append([]string{"Content-Type", "application/json"}, header...)
	if token != "" {
		h = append(h, "Authorization", "Bearer "+token)
	}
	return c.do(c.e.request(method, path, strings.NewReader(body), h...))
}

// token creates an API token for email.
func (e *env) token(email string) string {
	e.t.Helper()
	u, _, err := e.db.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	tok, hash := auth.NewToken()
	t, err := assessment.NewAPIToken("test", assessment.Period{}, e.clock())
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.CreateAPIToken(context.Background(), u.ID, hash, &t); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// The benchmark: verification and releases.

// verify is the operator's check of a submitted test (loyalty pool verify TOKEN's work): it
// must enter the pool. Only verified tests, consultants' clients and (in demo mode) synthetic
// companies are ever in a release.
func (e *env) verify(tokens ...string) {
	e.t.Helper()
	ctx := context.Background()
	for _, token := range tokens {
		a, err := e.db.Assessment(ctx, token)
		if err != nil {
			e.t.Fatal(err)
		}
		if in, err := e.db.VerifyAssessment(ctx, e.q, a.ID); err != nil || !in {
			e.t.Fatalf("VerifyAssessment(%s) = %v, %v; want it in the pool", token, in, err)
		}
	}
}

// nextDay moves the clock a day and a minute on: the next benchmark read may make a release.
func (e *env) nextDay() { e.advance(assessment.ReleaseInterval + time.Minute) }

// releases counts the benchmark releases stored.
func (e *env) releases() int {
	e.t.Helper()
	return e.countRows("SELECT count(*) FROM bench_releases")
}
