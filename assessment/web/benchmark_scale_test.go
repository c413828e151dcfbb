package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

// benchPool opens a database with n synthetic companies and a demo-mode server on it, with
// the result page and release caches off, so that every request renders the page and reads
// the published statistics: the cost measured is the cost of a first view. The release itself
// is made by the first request, before any timing.
func benchPool(b *testing.B, n int) (*Server, *sqlstore.DB) {
	b.Helper()
	e := newEnv(b, demoMode, noPageCache)
	if err := e.db.AddSynthetic(context.Background(), e.q.SyntheticCompanies(n, 42, time.Now())); err != nil {
		b.Fatal(err)
	}
	e.db.NoReleaseCache = true
	return e.srv, e.db
}

// BenchmarkResultPageWithPeers renders a result page with its benchmark against pools of
// growing size: the cost must not grow with the pool (a release publishes a few hundred
// numbers per group, whatever the number of companies).
func BenchmarkResultPageWithPeers(b *testing.B) {
	for _, n := range []int{100, 10_000, 100_000} {
		b.Run(fmt.Sprintf("companies=%d", n), func(b *testing.B) {
			srv, _ := benchPool(b, n)
			token := submitTo(b, srv, company("Bench A/S", "finance", uniform(3, 4), false))
			// Check once, uncompressed, that the page really carries a benchmark.
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/r/"+token+"?group=industry", nil))
			if !bytes.Contains(rec.Body.Bytes(), []byte(`data-testid="bench-table"`)) {
				b.Fatal("the result page has no benchmark table")
			}
			for _, group := range []string{"all", "industry"} {
				b.Run("group="+group, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						rec := httptest.NewRecorder()
						req := httptest.NewRequest(http.MethodGet, "/r/"+token+"?group="+group, nil)
						req.Header.Set("Accept-Encoding", "gzip") // as every browser sends
						srv.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
							b.Fatalf("GET result = %d, encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
						}
					}
				})
			}
		})
	}
}

// BenchmarkSubmitWithPeers submits consenting tests (each enters the pool) into pools of
// growing size.
func BenchmarkSubmitWithPeers(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("companies=%d", n), func(b *testing.B) {
			srv, _ := benchPool(b, n)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				i++
				submitTo(b, srv, company(fmt.Sprintf("Company %d", i), "finance", uniform(1+i%5, 5), true))
			}
		})
	}
}

// submitTo posts a submission straight to a handler and returns the token.
func submitTo(b *testing.B, srv http.Handler, body map[string]any) string {
	b.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/assessments", bytes.NewReader(mustJSON(b, body)))
	req.Header.Set("Content-Type", "application/json")
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		b.Fatalf("POST = %d: %s", rec.Code, rec.Body)
	}
	loc := rec.Header().Get("Location")
	return loc[len("/r/"):]
}

// BenchmarkScaleOut measures throughput with one instance and with two on the same database,
// eight clients at a time sending their requests to the instances in turn, as a round-robin
// proxy would: uncached result pages with their benchmark, and consenting submissions, at 100
// and 100,000 companies. It runs on SQLite by default and on PostgreSQL with
// LOYALTY_TEST_ENGINE=postgres (docs/performance.md). ns/op is wall time per request over
// all clients, so 1e9/ns is requests per second.
func BenchmarkScaleOut(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("companies=%d", n), func(b *testing.B) {
			e := newEnv(b, demoMode, noPageCache)
			if err := e.db.AddSynthetic(context.Background(), e.q.SyntheticCompanies(n, 42, time.Now())); err != nil {
				b.Fatal(err)
			}
			e.db.NoReleaseCache = true
			second := e.instance()
			second.db.NoReleaseCache = true
			token := submitTo(b, e.srv, company("Bench A/S", "finance", uniform(3, 4), false))
			// The first read makes the release; then both instances have served the page once
			// (connections open), and what is timed is the steady state.
			for _, srv := range []*Server{e.srv, second.srv} {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/r/"+token+"?group=industry", nil))
				if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte(`data-testid="bench-table"`)) {
					b.Fatalf("GET result = %d, or no benchmark table", rec.Code)
				}
			}
			for _, k := range []int{1, 2} {
				srvs := []*Server{e.srv, second.srv}[:k]
				b.Run(fmt.Sprintf("result/instances=%d", k), func(b *testing.B) {
					var next atomic.Int64
					b.SetParallelism(4) // 4 × GOMAXPROCS clients
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							rec := httptest.NewRecorder()
							req := httptest.NewRequest(http.MethodGet, "/r/"+token+"?group=industry", nil)
							req.Header.Set("Accept-Encoding", "gzip")
							srvs[next.Add(1)%int64(k)].ServeHTTP(rec, req)
							if rec.Code != http.StatusOK {
								b.Errorf("GET result = %d", rec.Code)
								return
							}
						}
					})
				})
				b.Run(fmt.Sprintf("submit/instances=%d", k), func(b *testing.B) {
					var next atomic.Int64
					b.SetParallelism(4)
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							i := next.Add(1)
							rec := httptest.NewRecorder()
							body := mustJSON(b, company(fmt.Sprintf("Scale %d", i), "finance", uniform(1+int(i%5), 5), true))
							req := httptest.NewRequest(http.MethodPost, "/api/v1/assessments", bytes.NewReader(body))
							req.Header.Set("Content-Type", "application/json")
							srvs[i%int64(k)].ServeHTTP(rec, req)
							if rec.Code != http.StatusCreated {
								b.Errorf("POST = %d: %s", rec.Code, rec.Body)
								return
							}
						}
					})
				})
			}
		})
	}
}
