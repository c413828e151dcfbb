package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// instance starts another server on e's database, with a store handle, caches and limiters of
// its own: a second instance of the program, sharing nothing with the first but the database
// (and the test's clock, which the first env moves). On PostgreSQL (LOYALTY_TEST_ENGINE=
// postgres) that is the scale-out deployment; on SQLite, two processes on one file.
func (e *env) instance() *env {
	e.t.Helper()
	db, err := sqlstore.Open(e.path)
	if err != nil {
		e.t.Fatalf("second instance: %v", err)
	}
	e.t.Cleanup(func() { db.Close() })
	db.Now = e.clock
	o := &env{t: e.t, q: e.q, db: db, path: e.path, logs: e.logs, raw: e.raw, client: e.client, a: e.a, b: e.b}
	o.cfg = e.cfg
	o.cfg.Store = db
	o.srv = New(o.cfg)
	o.http = httptest.NewServer(o.srv)
	e.t.Cleanup(o.http.Close)
	return o
}

// on returns the same browser (cookies, CSRF token, address) talking to instance o.
func (c *browser) on(o *env) *browser {
	d := *c
	d.e = o
	return &d
}

// TestTwoInstancesServeAsOne alternates requests between two instances on one database and
// checks that users cannot tell: sessions, logouts and removed members hold on both, the
// sign-in and join limits count across them, a participant's answer shows on the other
// instance's dashboard at once, a deleted result is gone from both, and the day's benchmark
// release is made once.
func TestTwoInstancesServeAsOne(t *testing.T) {
	t.Parallel()
	a := newWSEnv(t, behindProxy)
	b := a.instance()
	w := a.world("Acme") // a client and an open round with one participant, Sam

	// A session made on A is valid on B; a sign-out on B ends it on A.
	ann := a.login("ann@alpha.example")
	if res := ann.on(b).get("/w/clients"); res.StatusCode != http.StatusOK {
		t.Fatalf("A's session on B = %d, want 200", res.StatusCode)
	}
	if res := ann.on(b).postCSRF("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out on B = %d, want 303", res.StatusCode)
	}
	if res := ann.get("/w/clients"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Redirect, "/login") {
		t.Errorf("A after the sign-out on B = %d %q, want a redirect to /login", res.StatusCode, res.Redirect)
	}

	// A member removed on A is out on B at once.
	ann = a.login("ann@alpha.example")
	carl := b.login("carl@alpha.example")
	carlUser, _, err := a.db.UserByEmail(context.Background(), "carl@alpha.example")
	if err != nil {
		t.Fatal(err)
	}
	if res := ann.postCSRF(fmt.Sprintf("/w/members/%d/remove", carlUser.ID), url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("removing Carl on A = %d, want 303", res.StatusCode)
	}
	if res := carl.get("/w/clients"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Redirect, "/login") {
		t.Errorf("removed Carl on B = %d %q, want a redirect to /login", res.StatusCode, res.Redirect)
	}

	// Wrong passwords from one address, alternating between the instances, count together:
	// after maxFailsPair of them both refuse even the right one.
	wrong := url.Values{"email": {"ann@alpha.example"}, "password": {"wrong password!"}}
	right := url.Values{"email": {"ann@alpha.example"}, "password": {wsPassword}}
	attacker := []*browser{a.browserFrom("203.0.113.9"), b.browserFrom("203.0.113.9")}
	for i := range maxFailsPair {
		if res := attacker[i%2].signIn(wrong); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	for i, c := range attacker {
		if res := c.signIn(right); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("instance %c after %d failures on both = %d, want 429", 'A'+i, maxFailsPair, res.StatusCode)
		}
	}

	// Unknown workshop codes from one address count together too.
	guesser := []*browser{a.browserFrom("198.51.100.23"), b.browserFrom("198.51.100.23")}
	for i := range maxJoinMisses {
		if res := guesser[i%2].get(fmt.Sprintf("/j?code=ZZZZZZ%02d", i)); res.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown code %d = %d, want 404", i+1, res.StatusCode)
		}
	}
	for i, c := range guesser {
		if res := c.get("/j?code=ZZZZZZZZ"); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("instance %c after %d misses on both = %d, want 429", 'A'+i, maxJoinMisses, res.StatusCode)
		}
	}

	// A participant answers on A; B's dashboard, polled right after, counts them (its caches
	// key on the round's revision, read from the database).
	dash := fmt.Sprintf("/w/rounds/%d/live", w.round.ID)
	ann = b.login("ann@alpha.example")
	if res := ann.get(dash); !strings.Contains(res.Text, `data-testid="participants">1<`) {
		t.Fatalf("B's dashboard before = %d, want 1 participant (Sam)", res.StatusCode)
	}
	p := a.browser()
	f := uniform(3, 4).form()
	f.Set("name", "Pia")
	if res := p.post("/j/"+w.round.Code, f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answering on A = %d, want 303", res.StatusCode)
	}
	if res := ann.get(dash); !strings.Contains(res.Text, `data-testid="participants">2<`) {
		t.Errorf("B's dashboard right after Pia answered on A does not count 2 participants")
	}

	// A result read (and cached) on both and deleted on B is gone from A.
	path := a.submitForm(uniform(2, 4), url.Values{"company": {"Cache A/S"}})
	for _, o := range []*env{a, b, a, b} {
		if res := o.get(path); res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
	}
	if res := b.postForm(path+"/delete", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deleting on B = %d, want 303", res.StatusCode)
	}
	if res := a.get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("A after the deletion on B = %d, want 404", res.StatusCode)
	}

	// Concurrent writers on both instances: three companies' four results each, verified all
	// at once through both stores. Each company is in the pool once, with its latest result,
	// whatever order the writers ran in.
	ctx := context.Background()
	sizeBefore, err := a.db.PoolSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type taken struct {
		token string
		at    time.Time
	}
	var results []taken
	for round := range 4 {
		for c := range 3 {
			a.advance(time.Minute)
			o := []*env{a, b}[(round+c)%2]
			path := o.submitForm(uniform(1+round, 5), url.Values{"company": {fmt.Sprintf("Rival %d A/S", c)}, "country": {"DK"}, "benchmark_consent": {"yes"}})
			results = append(results, taken{strings.TrimPrefix(path, "/r/"), a.clock()})
		}
	}
	var writers sync.WaitGroup
	for i, r := range results {
		db := []*sqlstore.DB{a.db, b.db}[i%2]
		writers.Go(func() {
			x, err := db.Assessment(ctx, r.token)
			if err == nil {
				_, err = db.VerifyAssessment(ctx, a.q, x.ID)
			}
			if err != nil {
				t.Errorf("verify %s: %v", r.token, err)
			}
		})
	}
	writers.Wait()
	if size, err := a.db.PoolSize(ctx); err != nil || size != sizeBefore+3 {
		t.Errorf("pool after the concurrent writers = %d companies (%v), want %d + 3", size, err, sizeBefore)
	}
	for _, latest := range results[9:] {
		x, err := b.db.Assessment(ctx, latest.token)
		if err != nil {
			t.Fatal(err)
		}
		e, ok, err := b.db.PoolEntry(ctx, assessment.CompanyKey(x))
		if err != nil || !ok || !e.At.Equal(latest.at) {
			t.Errorf("pool entry of %s = taken %v (in %v, %v), want its latest result's %v", x.Company.Name, e.At, ok, err, latest.at)
		}
	}

	// Six verified companies, submitted through both; a day later both instances read the
	// benchmark at once, four readers each: one release is made.
	var tokens []string
	for i := range 6 {
		o := []*env{a, b}[i%2]
		path := o.submitForm(uniform(2+i%3, 4), url.Values{"company": {fmt.Sprintf("Peer %d A/S", i)}, "benchmark_consent": {"yes"}})
		tokens = append(tokens, strings.TrimPrefix(path, "/r/"))
	}
	a.verify(tokens...)
	a.nextDay()
	before := a.releases()
	var wg sync.WaitGroup
	codes := make(chan int, 8)
	for i := range 8 {
		o := []*env{a, b}[i%2]
		wg.Go(func() {
			res, err := http.Get(o.http.URL + "/benchmark")
			if err != nil {
				codes <- 0
				return
			}
			res.Body.Close()
			codes <- res.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Errorf("GET /benchmark = %d, want 200", c)
		}
	}
	if got := a.releases(); got != before+1 {
		t.Errorf("releases after both instances read the benchmark = %d, want %d (one more)", got, before+1)
	}
}
