package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
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
