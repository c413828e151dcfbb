package sqlstore_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore/sqltest"
)

// pgCount counts rows on a connection of its own, independent of the store under test.
func pgCount(t *testing.T, url, query string) int {
	t.Helper()
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestPostgresOpen: instances that start at once on an empty database create its schema once;
// the schema is the embedded one; a database a newer program migrated is refused at Open and
// makes a running instance unready.
func TestPostgresOpen(t *testing.T) {
	url := sqltest.PostgresURL(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	dbs := make([]*sqlstore.DB, 3)
	errs := make([]error, 3)
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = sqlstore.Open(url) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: Open = %v", i+1, err)
		}
		t.Cleanup(func() { dbs[i].Close() })
	}
	files, err := os.ReadDir("migrations/postgres")
	if err != nil {
		t.Fatal(err)
	}
	if n := pgCount(t, url, "SELECT count(*) FROM schema_migrations"); n != len(files) {
		t.Errorf("schema_migrations has %d rows after three instances started at once, want %d (one per migration)", n, len(files))
	}
	if err := dbs[0].CheckSchema(ctx); err != nil {
		t.Errorf("CheckSchema = %v, want nil", err)
	}
	if got := dbs[0].Engine(); got != "postgres" {
		t.Errorf("Engine = %q", got)
	}

	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, '2030-01-01')"); err != nil {
		t.Fatal(err)
	}
	if err := dbs[1].CheckSchema(ctx); err == nil || !strings.Contains(err.Error(), "9999") {
		t.Errorf("CheckSchema after a newer program migrated = %v, want it to name 9999", err)
	}
	if db, err := sqlstore.Open(url); err == nil || !strings.Contains(err.Error(), "newer than this program") {
		if db != nil {
			db.Close()
		}
		t.Errorf("Open of a newer database = %v, want 'newer than this program'", err)
	}
	if db, err := sqlstore.Open(strings.Replace(url, "://", "://nobody:wrong@", 1)); err == nil {
		db.Close()
		t.Error("Open with a wrong password succeeded")
	} else if strings.Contains(err.Error(), "wrong") {
		t.Errorf("Open's error shows the password: %v", err)
	}
}

// TestPostgresCreateAssessment_Atomic: a result that fails inside the database leaves no row
// of it, and the database's text never becomes a user's message.
func TestPostgresCreateAssessment_Atomic(t *testing.T) {
	tests := []struct {
		name    string
		ratings assessment.Ratings
		errText string // the constraint that must be what failed
	}{
		{"competency 22", ratings(22), "answers_competency_check"},
		{"NaN score", append(ratings(20), assessment.Rating{AsIs: math.NaN(), ToBe: 3}), "answers_check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := sqltest.PostgresURL(t)
			db := open(t, url)
			a := sample()
			a.Ratings = tt.ratings
			err := db.CreateAssessment(context.Background(), a)
			if err == nil || !strings.Contains(err.Error(), tt.errText) {
				t.Fatalf("CreateAssessment = %v, want an error naming %q", err, tt.errText)
			}
			if code := assessment.ErrorCode(err); code != assessment.EINTERNAL {
				t.Errorf("ErrorCode = %q, want %q", code, assessment.EINTERNAL)
			}
			for _, table := range []string{"assessments", "answers"} {
				if n := pgCount(t, url, "SELECT count(*) FROM "+table); n != 0 {
					t.Errorf("%s has %d rows after a failed create, want 0", table, n)
				}
			}
		})
	}
}
