package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// TestDeleteAssessment: deleting a result removes it and its answers and, in the same
// transaction, its company's pool entry when that entry came from this result; an entry that
// came from a later test of the same company stays. Every deletion changes the pool
// generation, so no cache keyed by it serves the deleted result again.
func TestDeleteAssessment(t *testing.T) {
	ctx := context.Background()
	q := questionnaire(t)
	path := filepath.Join(t.TempDir(), "delete.db")
	db := open(t, path)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	companies := func() int { return queryInt(t, path, "SELECT count(*) FROM pool_companies") }
	// inAll counts the companies in the "all" group of the histograms (metric 0, AS-IS).
	inAll := func() int {
		return queryInt(t, path, "SELECT coalesce(sum(count), 0) FROM pool_hist WHERE dim = 'all' AND side = 0 AND metric = 0")
	}
	gen := func() int64 {
		g, err := db.PoolGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}

	anon := submit(t, q, db, "", "", "retail", true, 2)
	first := submit(t, q, db, "Acme A/S", "DK", "retail", true, 2)
	later := submit(t, q, db, "ACME AS", "dk", "retail", true, 4) // the same company, later: its entry
	private := submit(t, q, db, "Beta", "SE", "", false, 3)
	if companies() != 2 || inAll() != 2 {
		t.Fatalf("pool before = %d companies, %d in all; want 2 (anonymous, Acme)", companies(), inAll())
	}

	steps := []struct {
		name      string
		token     string
		companies int
	}{
		// The anonymous test was its own company: it leaves the pool.
		{"anonymous", anon.Token, 1},
		// Acme's first test was replaced by the later one, which stays.
		{"replaced by a later test", first.Token, 1},
		// Without consent there is no entry; the pool is unchanged.
		{"without consent", private.Token, 1},
		// Acme's later test is its entry: Acme leaves.
		{"the company's entry", later.Token, 0},
	}
	for _, s := range steps {
		before := gen()
		if err := db.DeleteAssessment(ctx, s.token); err != nil {
			t.Fatalf("%s: DeleteAssessment = %v", s.name, err)
		}
		if _, err := db.Assessment(ctx, s.token); assessment.ErrorCode(err) != assessment.ENOTFOUND {
			t.Errorf("%s: Assessment after delete = %v, want not found", s.name, err)
		}
		if companies() != s.companies || inAll() != s.companies {
			t.Errorf("%s: pool = %d companies, %d in all; want %d", s.name, companies(), inAll(), s.companies)
		}
		if gen() == before {
			t.Errorf("%s: the pool generation did not change", s.name)
		}
	}
	if n := queryInt(t, path, "SELECT count(*) FROM answers"); n != 0 {
		t.Errorf("answers left = %d, want 0", n)
	}
	if n := queryInt(t, path, "SELECT count(*) FROM pool_hist"); n != 0 {
		t.Errorf("pool_hist rows left = %d, want 0 (empty distributions are deleted)", n)
	}
	if err := db.DeleteAssessment(ctx, anon.Token); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("deleting twice = %v, want not found", err)
	}
}
