package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/storetest"
)

// TestDeleteAssessmentLeavesNoRows: deleting results leaves no row of their answers, and
// their rows in a release snapshot keep only what the next release needs (atom and profile).
// What deleting means for the pool and the generations is the conformance suite's
// (storetest).
func TestDeleteAssessmentLeavesNoRows(t *testing.T) {
	ctx := context.Background()
	q := storetest.Questionnaire(t)
	path := filepath.Join(t.TempDir(), "delete.db")
	db := open(t, path)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }

	anon := storetest.Submit(t, q, db, "", "", "retail", true, 2)
	first := storetest.Submit(t, q, db, "Acme A/S", "DK", "retail", true, 2)
	storetest.Verify(t, q, db, anon)
	storetest.Verify(t, q, db, first)
	later := storetest.Submit(t, q, db, "ACME AS", "dk", "retail", true, 4) // the same company, later: its entry
	storetest.Verify(t, q, db, later)
	private := storetest.Submit(t, q, db, "Beta", "SE", "", false, 3)
	// Three more companies, so that a release holds a snapshot with the two.
	for range 3 {
		storetest.Verify(t, q, db, storetest.Submit(t, q, db, "", "", "retail", true, 3))
	}
	if made, err := db.MakeRelease(ctx, q, false, storetest.ZeroNoise{}); err != nil || !made {
		t.Fatalf("MakeRelease = %v, %v", made, err)
	}
	for _, a := range []*assessment.Assessment{anon, first, private, later} {
		if err := db.DeleteAssessment(ctx, a.Token); err != nil {
			t.Fatalf("DeleteAssessment(%d) = %v", a.ID, err)
		}
		if n := queryInt(t, path, "SELECT count(*) FROM bench_snapshot WHERE source_id = ?", a.ID); n != 0 {
			t.Errorf("snapshot rows of result %d after delete = %d, want 0", a.ID, n)
		}
	}
	if n := queryInt(t, path, "SELECT count(*) FROM answers WHERE assessment_id IN (?, ?, ?, ?)", anon.ID, first.ID, later.ID, private.ID); n != 0 {
		t.Errorf("answers left = %d, want 0", n)
	}
	// The erased rows keep only what the next release needs: atom and profile.
	if n := queryInt(t, path, "SELECT count(*) FROM bench_snapshot WHERE key = '' AND as_is IS NULL AND to_be IS NULL AND industry = 'retail'"); n != 2 {
		t.Errorf("erased snapshot rows = %d, want 2 (anonymous and Acme's later test)", n)
	}
}
