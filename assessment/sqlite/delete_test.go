package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// TestDeleteAssessment: deleting a result removes it and its answers and, in the same
// transaction, its company's pool entry when that entry came from this result (an entry that
// came from a later test of the same company stays), and erases it from release snapshots.
// Every deletion changes the result generation, so no cached page serves the deleted result
// again; the pool generation changes only when the pool does.
func TestDeleteAssessment(t *testing.T) {
	ctx := context.Background()
	q := questionnaire(t)
	path := filepath.Join(t.TempDir(), "delete.db")
	db := open(t, path)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	companies := func() int { return queryInt(t, path, "SELECT count(*) FROM pool_companies") }
	gens := func() (pool, results int64) {
		t.Helper()
		var err error
		if pool, err = db.PoolGeneration(ctx); err != nil {
			t.Fatal(err)
		}
		if results, err = db.ResultGeneration(ctx); err != nil {
			t.Fatal(err)
		}
		return pool, results
	}

	anon := submit(t, q, db, "", "", "retail", true, 2)
	first := submit(t, q, db, "Acme A/S", "DK", "retail", true, 2)
	verify(t, q, db, anon)
	verify(t, q, db, first)
	later := submit(t, q, db, "ACME AS", "dk", "retail", true, 4) // the same company, later: its entry
	verify(t, q, db, later)
	private := submit(t, q, db, "Beta", "SE", "", false, 3)
	// Three more companies, so that a release holds a snapshot with the two.
	for range 3 {
		verify(t, q, db, submit(t, q, db, "", "", "retail", true, 3))
	}
	if made, err := db.MakeRelease(ctx, q, false, zeroNoise{}); err != nil || !made {
		t.Fatalf("MakeRelease = %v, %v", made, err)
	}
	if companies() != 5 {
		t.Fatalf("pool before = %d companies, want 5 (anonymous, Acme, three more)", companies())
	}
	erased := func(a *assessment.Assessment) bool {
		return queryInt(t, path, "SELECT count(*) FROM bench_snapshot WHERE source_id = ?", a.ID) == 0
	}

	steps := []struct {
		name        string
		a           *assessment.Assessment
		companies   int
		poolChanged bool
	}{
		// The anonymous test was its own company: it leaves the pool.
		{"anonymous", anon, 4, true},
		// Acme's first test was replaced by the later one, which stays.
		{"replaced by a later test", first, 4, false},
		// Without consent there is no entry; the pool is unchanged.
		{"without consent", private, 4, false},
		// Acme's later test is its entry: Acme leaves.
		{"the company's entry", later, 3, true},
	}
	for _, s := range steps {
		pool, results := gens()
		if err := db.DeleteAssessment(ctx, s.a.Token); err != nil {
			t.Fatalf("%s: DeleteAssessment = %v", s.name, err)
		}
		if _, err := db.Assessment(ctx, s.a.Token); assessment.ErrorCode(err) != assessment.ENOTFOUND {
			t.Errorf("%s: Assessment after delete = %v, want not found", s.name, err)
		}
		if companies() != s.companies {
			t.Errorf("%s: pool = %d companies, want %d", s.name, companies(), s.companies)
		}
		if !erased(s.a) {
			t.Errorf("%s: the release snapshot still holds the result", s.name)
		}
		p2, r2 := gens()
		if r2 == results {
			t.Errorf("%s: the result generation did not change", s.name)
		}
		if (p2 != pool) != s.poolChanged {
			t.Errorf("%s: pool generation changed = %v, want %v", s.name, p2 != pool, s.poolChanged)
		}
	}
	if n := queryInt(t, path, "SELECT count(*) FROM answers WHERE assessment_id IN (?, ?, ?, ?)", anon.ID, first.ID, later.ID, private.ID); n != 0 {
		t.Errorf("answers left = %d, want 0", n)
	}
	// The erased rows keep only what the next release needs: atom and profile.
	if n := queryInt(t, path, "SELECT count(*) FROM bench_snapshot WHERE key = '' AND as_is IS NULL AND to_be IS NULL AND industry = 'retail'"); n != 2 {
		t.Errorf("erased snapshot rows = %d, want 2 (anonymous and Acme's later test)", n)
	}
	if err := db.DeleteAssessment(ctx, anon.Token); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("deleting twice = %v, want not found", err)
	}
}
