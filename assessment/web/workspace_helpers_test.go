package web

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/sqlite"
)

// wsEnv is a running server with two workspaces: A (Ann, admin; Carl, consultant) and B
// (Bob), on a real database file.
type wsEnv struct {
	t    testing.TB
	q    *assessment.Questionnaire
	db   *sqlite.DB
	path string
	srv  *httptest.Server
	// app is the server behind srv, for requests from another address than loopback.
	app *Server

	mu  sync.Mutex
	now time.Time

	a, b *assessment.Workspace
}

const wsPassword = "correct horse battery staple"

func newWSEnv(t testing.TB) *wsEnv {
	t.Helper()
	ctx := context.Background()
	e := &wsEnv{t: t, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	var err error
	if e.q, err = assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML); err != nil {
		t.Fatal(err)
	}
	e.path = filepath.Join(t.TempDir(), "ws.db")
	if e.db, err = sqlite.Open(e.path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	e.db.Now = e.clock
	s := New(Config{Questionnaire: e.q, Store: e.db, Now: e.clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.app = s
	e.srv = httptest.NewServer(s)
	t.Cleanup(e.srv.Close)
	if e.a, err = e.db.EnsureWorkspace(ctx, "Alpha Consulting"); err != nil {
		t.Fatal(err)
	}
	if e.b, err = e.db.EnsureWorkspace(ctx, "Beta Advisory"); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(ctx, wsPassword)
	if err != nil {
		t.Fatal(err)
	}
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

func (e *wsEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *wsEnv) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// wsClient is one browser: a cookie jar, no redirect following.
type wsClient struct {
	e    *wsEnv
	http *http.Client
	csrf string
}

func (e *wsEnv) browser() *wsClient {
	jar, _ := cookiejar.New(nil)
	return &wsClient{e: e, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn fetches the login form, as a browser does, and sends form with the form's
// double-submit token (the cookie jar keeps its cookie).
func (c *wsClient) signIn(form url.Values) wsResponse {
	c.e.t.Helper()
	page := c.get("/login")
	if page.status != http.StatusOK {
		c.e.t.Fatalf("GET /login = %d", page.status)
	}
	form = maps.Clone(form)
	form.Set("_csrf", csrfOf(c.e.t, page.body))
	return c.post("/login", form)
}

// login signs in and keeps the session's CSRF token.
func (e *wsEnv) login(email string) *wsClient {
	e.t.Helper()
	c := e.browser()
	res := c.signIn(url.Values{"email": {email}, "password": {wsPassword}})
	if res.status != http.StatusSeeOther || res.location != "/w" {
		e.t.Fatalf("login %s = %d %q, want 303 to /w", email, res.status, res.location)
	}
	page := c.get("/w/clients")
	c.csrf = csrfOf(e.t, page.body)
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

type wsResponse struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (c *wsClient) do(req *http.Request) wsResponse {
	c.e.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return wsResponse{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b), header: res.Header}
}

func (c *wsClient) get(path string, header ...string) wsResponse {
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// post sends a form as is (add _csrf yourself, or use postCSRF).
func (c *wsClient) post(path string, form url.Values, header ...string) wsResponse {
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// postCSRF sends a form with the session's CSRF token.
func (c *wsClient) postCSRF(path string, form url.Values) wsResponse {
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.csrf)
	return c.post(path, form)
}

func (c *wsClient) api(method, path, token, body string, header ...string) wsResponse {
	req, _ := http.NewRequest(method, c.e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// token creates an API token for email.
func (e *wsEnv) token(email string) string {
	e.t.Helper()
	u, _, err := e.db.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	tok, hash := auth.NewToken()
	if err := e.db.CreateAPIToken(context.Background(), u.ID, hash); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// wsScores is a participant's answers: AS-IS and TO-BE per competency 1-21.
type wsScores [21][2]int

func wsUniform(asIs, toBe int) wsScores {
	var s wsScores
	for i := range s {
		s[i] = [2]int{asIs, toBe}
	}
	return s
}

func (s wsScores) with(n, asIs, toBe int) wsScores {
	s[n-1] = [2]int{asIs, toBe}
	return s
}

func (s wsScores) form() url.Values {
	v := url.Values{}
	for i, x := range s {
		v.Set(fmt.Sprintf("c%d_as_is", i+1), fmt.Sprint(x[0]))
		v.Set(fmt.Sprintf("c%d_to_be", i+1), fmt.Sprint(x[1]))
	}
	return v
}

func (s wsScores) json() string {
	var parts []string
	for i, x := range s {
		parts = append(parts, fmt.Sprintf(`{"competency":%d,"as_is":%d,"to_be":%d}`, i+1, x[0], x[1]))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// wsWorld is workspace A's objects: a client with a round that has a participant and a
// Must Win Battle.
type wsWorld struct {
	client *assessment.Client
	round  *assessment.Round
	battle *assessment.Battle
	// member is Carl, workspace A's consultant.
	member *assessment.User
}

func (e *wsEnv) world(name string) wsWorld {
	e.t.Helper()
	ctx := context.Background()
	c, err := e.q.NewClient(assessment.Company{Name: name, Industry: "retail", Country: "DK"}, true)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.CreateClient(ctx, e.a.ID, &c); err != nil {
		e.t.Fatal(err)
	}
	r, _ := e.q.NewRound("Kick-off "+name, "en")
	if err := e.db.CreateRound(ctx, e.a.ID, c.ID, &r); err != nil {
		e.t.Fatal(err)
	}
	p, _ := e.q.NewParticipant("Secret Sam", "CFO", wsUniform(2, 4).with(1, 1, 5).answers())
	if err := e.db.SaveParticipant(ctx, r.Code, "tok-"+name, false, &p); err != nil {
		e.t.Fatal(err)
	}
	b, _ := e.q.NewBattle(13, "Battle of "+name, "Owner", "", "")
	if err := e.db.AddBattle(ctx, e.a.ID, r.ID, &b); err != nil {
		e.t.Fatal(err)
	}
	carl, _, err := e.db.UserByEmail(ctx, "carl@alpha.example")
	if err != nil {
		e.t.Fatal(err)
	}
	return wsWorld{client: &c, round: &r, battle: &b, member: carl}
}

func (s wsScores) answers() []assessment.Answer {
	out := make([]assessment.Answer, len(s))
	for i, x := range s {
		out[i] = assessment.Answer{Competency: i + 1, AsIs: float64(x[0]), ToBe: float64(x[1])}
	}
	return out
}

func regexpMust(s string) *regexp.Regexp { return regexp.MustCompile(s) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

// rawQuery runs a query on a connection of its own to the database file.
func (e *wsEnv) rawQuery(query string, dst ...any) error {
	db, err := sql.Open("sqlite", "file:"+e.path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	return db.QueryRow(query).Scan(dst...)
}
