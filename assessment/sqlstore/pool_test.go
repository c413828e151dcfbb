package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
	"github.com/loyalty-cx/loyalty/assessment/storetest"
)

// releaseFixture is a store with a movable clock for release tests.
type releaseFixture struct {
	t    *testing.T
	q    *assessment.Questionnaire
	db   *sqlstore.DB
	path string
	now  time.Time
}

func newReleaseFixture(t *testing.T) *releaseFixture {
	f := &releaseFixture{t: t, q: storetest.Questionnaire(t), path: filepath.Join(t.TempDir(), "release.db"),
		now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	f.db = open(t, f.path)
	f.db.Now = func() time.Time { return f.now }
	return f
}

// company adds a verified test of an anonymous company answering asIs everywhere.
func (f *releaseFixture) company(industry string, asIs float64) *assessment.Assessment {
	f.t.Helper()
	f.now = f.now.Add(time.Second)
	a := storetest.Submit(f.t, f.q, f.db, "", "", industry, true, asIs)
	storetest.Verify(f.t, f.q, f.db, a)
	return a
}

// release makes a release if one is due, as a reader would, and returns the latest.
func (f *releaseFixture) release() *assessment.Release {
	f.t.Helper()
	return storetest.Release(f.t, f.db, f.q, f.now)
}

// TestReleaseSnapshotsKept: only the snapshots the latest release refers to are kept, and a
// deleted result's rows in them are erased, not deleted (the next release counts the company
// as one that left). The releases themselves are the conformance suite's (storetest).
func TestReleaseSnapshotsKept(t *testing.T) {
	ctx := context.Background()
	f := newReleaseFixture(t)
	for range 4 {
		f.company("finance", 2)
	}
	fifth := f.company("finance", 4)
	r1 := f.release()
	if r1 == nil {
		t.Fatal("no first release with 5 companies")
	}
	// Five newcomers in retail, a day later: a second release, finance kept from the first.
	for range 5 {
		f.company("retail", 3)
	}
	f.now = f.now.Add(24 * time.Hour)
	if r2 := f.release(); r2 == nil || r2.ID == r1.ID {
		t.Fatalf("no second release: %+v", r2)
	}
	// A third attempt a day later with one change releases nothing and drops no snapshot.
	f.company("retail", 5)
	f.now = f.now.Add(25 * time.Hour)
	f.release()
	if err := f.db.DeleteAssessment(ctx, fifth.Token); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, f.path, "SELECT count(*) FROM bench_snapshot WHERE key = '' AND as_is IS NULL"); n != 2 {
		t.Errorf("erased snapshot rows = %d, want 2 (the result was in both snapshots kept)", n)
	}
	// Only what the latest release refers to is kept: its own snapshot and the first one
	// (finance is computed from it).
	if n := queryInt(t, f.path, "SELECT count(DISTINCT release_id) FROM bench_snapshot"); n != 2 {
		t.Errorf("snapshots kept = %d, want 2", n)
	}
}

// TestReleaseOnce: two processes on one database that both find a release due and plan it
// make one release, not two: the one that stores second finds its plan stale.
func TestReleaseOnce(t *testing.T) {
	ctx := context.Background()
	f := newReleaseFixture(t)
	for range 5 {
		f.company("finance", 3)
	}
	other := open(t, f.path)
	other.Now = f.db.Now
	st, err := f.db.ReleaseStatus(ctx, f.q.Version, false)
	if err != nil || !st.Due(f.now) {
		t.Fatalf("status = %+v, %v; want a release due", st, err)
	}
	// The first plans; before it stores its plan, the other plans and stores its own.
	var made2 bool
	var err2 error
	sqlstore.SetAfterPlan(f.db, func() { made2, err2 = other.MakeRelease(ctx, f.q, false, storetest.ZeroNoise{}) })
	made1, err1 := f.db.MakeRelease(ctx, f.q, false, storetest.ZeroNoise{})
	if err1 != nil || err2 != nil || made1 || !made2 {
		t.Errorf("MakeRelease on two handles = %v (%v), %v (%v); want the second's release only", made1, err1, made2, err2)
	}
	sqlstore.SetAfterPlan(f.db, nil)
	if n := queryInt(t, f.path, "SELECT count(*) FROM bench_releases"); n != 1 {
		t.Errorf("releases = %d, want 1", n)
	}
	// A release without demo companies and one with them are two pools: each gets its own.
	if made, err := other.MakeRelease(ctx, f.q, true, storetest.ZeroNoise{}); err != nil || !made {
		t.Errorf("the demo pool's first release = %v, %v; want made", made, err)
	}
}

func BenchmarkReleasePool(b *testing.B) {
	ctx := context.Background()
	q := storetest.Questionnaire(b)
	db := open(b, filepath.Join(b.TempDir(), "bench.db"))
	if err := db.AddSynthetic(ctx, q.SyntheticCompanies(1000, 1, time.Now())); err != nil {
		b.Fatal(err)
	}
	if _, err := db.MakeRelease(ctx, q, true, storetest.ZeroNoise{}); err != nil {
		b.Fatal(err)
	}
	st, _ := db.ReleaseStatus(ctx, q.Version, true)
	r, err := db.Release(ctx, st.Latest)
	if err != nil {
		b.Fatal(err)
	}
	all, _ := r.Group(assessment.PeerGroup{Group: assessment.GroupAll})
	db.NoReleaseCache = true
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.ReleasePool(ctx, q, all.Content); err != nil {
			b.Fatal(err)
		}
	}
}
