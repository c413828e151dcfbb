package storetest

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

var poolTests = []test{
	{"verified tests only, one entry per company", testPool},
	{"releases", testReleases},
	{"release noise stored", testReleaseNoiseStored},
}

// seededNoise draws real noise, the same in every run.
func seededNoise() assessment.NoiseSource { return assessment.NewSampler(rand.New(rand.NewPCG(1, 2))) }

func idsOf(as []assessment.Assessment) []int64 {
	var out []int64
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

// testPool: only verified tests enter the pool, one entry per company (its latest verified
// result), and a test that merely names a pooled company does not displace it.
func testPool(t *testing.T, d Database) {
	ctx := context.Background()
	q := Questionnaire(t)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db := d.Open(t, func() time.Time { clock = clock.Add(time.Minute); return clock })
	gen := func() int64 {
		t.Helper()
		g, err := db.PoolGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	overall := func(key string) (float64, bool) {
		t.Helper()
		e, ok := inPool(t, db, key)
		if !ok {
			return 0, false
		}
		return float64(e.AsIs[0]) / 1e4, true
	}

	start := gen()
	private := Submit(t, q, db, "", "", "finance", false, 1)
	older := Submit(t, q, db, "Acme A/S", "DK", "finance", true, 2)
	newer := Submit(t, q, db, "ACME a.s.", "dk", "finance", true, 4) // the same company, later
	anon := Submit(t, q, db, "", "", "", true, 5)
	if n := poolSize(t, db); n != 0 || gen() != start {
		t.Fatalf("before any verification: %d pool entries, generation %d → %d; want none, unchanged", n, start, gen())
	}
	pending, err := db.PendingAssessments(ctx, q.Version)
	if err != nil {
		t.Fatal(err)
	}
	if ids := idsOf(pending); !slices.Equal(ids, []int64{older.ID, newer.ID, anon.ID}) {
		t.Errorf("pending = %v, want the three consenting tests %v", ids, []int64{older.ID, newer.ID, anon.ID})
	}

	Verify(t, q, db, newer)
	if in, err := db.VerifyAssessment(ctx, q, older.ID); err != nil || in {
		t.Errorf("verifying the company's older test = %v, %v; want it kept out by the newer one", in, err)
	}
	Verify(t, q, db, anon)
	if in, err := db.VerifyAssessment(ctx, q, private.ID); err != nil || in {
		t.Errorf("verifying a test without consent = %v, %v; want it kept out", in, err)
	}
	if _, err := db.VerifyAssessment(ctx, q, 999); assessment.ErrorCode(err) != assessment.ENOTFOUND {
		t.Errorf("verifying an unknown id = %v, want not found", err)
	}
	if v, ok := overall(assessment.CompanyKey(newer)); !ok || v != 4 {
		t.Errorf("Acme's entry = %g (%v), want its newer result, overall 4", v, ok)
	}
	if v, ok := overall(assessment.CompanyKey(anon)); !ok || v != 5 {
		t.Errorf("the anonymous entry = %g (%v), want 5", v, ok)
	}
	if gen() == start {
		t.Error("verification did not change the pool generation")
	}

	// Someone types Acme's name into a test and the operator has not verified it: the pool
	// keeps Acme's verified entry.
	before := gen()
	Submit(t, q, db, "Acme A/S", "DK", "finance", true, 1)
	if v, _ := overall(assessment.CompanyKey(newer)); v != 4 || gen() != before {
		t.Errorf("an unverified test with Acme's name changed Acme's entry to %g (generation %d → %d)", v, before, gen())
	}

	// Unverifying takes the test out again.
	if out, err := db.UnverifyAssessment(ctx, anon.ID); err != nil || !out {
		t.Errorf("UnverifyAssessment = %v, %v; want true", out, err)
	}
	if _, ok := overall(assessment.CompanyKey(anon)); ok {
		t.Error("the unverified test is still in the pool")
	}
	if out, _ := db.UnverifyAssessment(ctx, anon.ID); out {
		t.Error("unverifying twice reported a removal")
	}

	// Synthetic companies go in and out in bulk.
	var demo []assessment.PoolEntry
	for i := range 4 {
		e := q.NewPoolEntry("demo:t:"+string(rune('a'+i)), assessment.Company{Industry: "finance"}, Flat(1, 2), clock)
		e.Synthetic = true
		demo = append(demo, e)
	}
	if err := db.AddSynthetic(ctx, demo); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.SyntheticCount(ctx); c != 4 {
		t.Errorf("SyntheticCount = %d, want 4", c)
	}
	removed, err := db.RemoveSynthetic(ctx)
	if err != nil || removed != 4 {
		t.Fatalf("RemoveSynthetic = %d, %v; want 4", removed, err)
	}
	if n := poolSize(t, db); n != 1 {
		t.Errorf("after removing demo companies: %d pool entries, want Acme's", n)
	}
}

// releaseFixture is a store with a movable clock for release tests.
type releaseFixture struct {
	t   *testing.T
	q   *assessment.Questionnaire
	d   Database
	db  Store
	now time.Time
}

func newReleaseFixture(t *testing.T, d Database) *releaseFixture {
	f := &releaseFixture{t: t, q: Questionnaire(t), d: d, now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	f.db = d.Open(t, f.clock)
	return f
}

func (f *releaseFixture) clock() time.Time { return f.now }

// company adds a verified test of an anonymous company answering asIs everywhere.
func (f *releaseFixture) company(industry string, asIs float64) *assessment.Assessment {
	f.t.Helper()
	f.now = f.now.Add(time.Second)
	a := Submit(f.t, f.q, f.db, "", "", industry, true, asIs)
	Verify(f.t, f.q, f.db, a)
	return a
}

// release makes a release if one is due, as a reader would, and returns the latest.
func (f *releaseFixture) release() *assessment.Release {
	f.t.Helper()
	return Release(f.t, f.db, f.q, f.now)
}

// Release makes a release of db's pool if one is due at now, as the first reader after it
// falls due does (without noise: ZeroNoise), and returns the latest release, or nil when
// there is none.
func Release(t *testing.T, db Store, q *assessment.Questionnaire, now time.Time) *assessment.Release {
	t.Helper()
	ctx := context.Background()
	st, err := db.ReleaseStatus(ctx, q.Version, false)
	if err != nil {
		t.Fatal(err)
	}
	if st.Due(now) {
		if _, err := db.MakeRelease(ctx, q, false, ZeroNoise{}); err != nil {
			t.Fatal(err)
		}
		if st, err = db.ReleaseStatus(ctx, q.Version, false); err != nil {
			t.Fatal(err)
		}
	}
	if st.Latest == 0 {
		return nil
	}
	r, err := db.Release(ctx, st.Latest)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func groupOf(r *assessment.Release, group, value string) (assessment.ReleasedGroup, bool) {
	if r == nil {
		return assessment.ReleasedGroup{}, false
	}
	return r.Group(assessment.PeerGroup{Group: group, Value: value})
}

// testReleases walks a pool through its releases: nothing below 5 companies; a first release
// at once; none for a day; none for fewer than 5 changes; a new one, with the groups that did
// not change carried. (Which snapshots are kept, and what an erased snapshot row keeps, are
// storage details each engine checks itself.)
func testReleases(t *testing.T, d Database) {
	ctx := context.Background()
	f := newReleaseFixture(t, d)
	for range 4 {
		f.company("finance", 2)
	}
	if r := f.release(); r != nil {
		t.Fatalf("4 companies gave release %+v, want none", r)
	}
	fifth := f.company("finance", 4)
	r1 := f.release()
	all1, ok := groupOf(r1, "all", "")
	if !ok || all1.Companies != 5 || !all1.AsOf.Equal(f.now) {
		t.Fatalf("first release: all = %+v (%v), want 5 companies as of now", all1, ok)
	}
	fin1, ok := groupOf(r1, "industry", "finance")
	if !ok || fin1.Companies != 5 {
		t.Errorf("first release: finance = %+v (%v), want 5 companies", fin1, ok)
	}
	// The statistics are the exact ones (no noise here): overall AS-IS [2 2 2 2 4].
	pool, err := f.db.ReleasePool(ctx, f.q, all1.Content)
	if err != nil {
		t.Fatal(err)
	}
	if s := pool.AsIs[0].Stats(pool.Grid, 5, 20000); pool.Companies != 5 || s.Median != 2 || s.P75 != 2 || s.Mean != 2.4 {
		t.Errorf("released overall AS-IS: %d companies, %+v; want 5, median 2, P75 2, mean 12/5", pool.Companies, s)
	}

	// Five newcomers in retail within the day: no release before the day is over.
	for range 5 {
		f.company("retail", 3)
	}
	f.now = f.now.Add(23 * time.Hour)
	if r := f.release(); r.ID != r1.ID {
		t.Fatalf("a release %d within a day of the first", r.ID)
	}
	f.now = f.now.Add(time.Hour)
	r2 := f.release()
	if r2.ID == r1.ID {
		t.Fatal("no release a day later with 5 new companies")
	}
	all2, _ := groupOf(r2, "all", "")
	fin2, _ := groupOf(r2, "industry", "finance")
	retail2, ok := groupOf(r2, "industry", "retail")
	if all2.Companies != 10 || fin2.Content != fin1.Content || !ok || retail2.Companies != 5 {
		t.Errorf("second release: all %d companies, finance content %d, retail %+v; want 10, finance kept, retail 5", all2.Companies, fin2.Content, retail2)
	}
	if fin2.Snapshot != r1.ID {
		t.Errorf("finance is computed from snapshot %d, want the first release's %d (kept)", fin2.Snapshot, r1.ID)
	}

	// One more company, a day later: too few changes, no release; and no new attempt until
	// the pool changes.
	f.company("retail", 5)
	f.now = f.now.Add(25 * time.Hour)
	if r := f.release(); r.ID != r2.ID {
		t.Errorf("one new company made release %d", r.ID)
	}
	st, _ := f.db.ReleaseStatus(ctx, f.q.Version, false)
	if st.Due(f.now) {
		t.Error("after an attempt that released nothing, a release is due again without any change")
	}

	// This very result is found in the snapshot its group was computed from, by its id: the
	// fifth finance company is in the first release's snapshot.
	e, err := f.db.SnapshotEntry(ctx, fin2.Snapshot, fifth.ID, "")
	if err != nil || e == nil || e.AsIs[0] != 40000 || e.Profile.Industry != "finance" {
		t.Errorf("SnapshotEntry(fifth) = %+v, %v; want its overall 4 in finance", e, err)
	}
	if e, _ := f.db.SnapshotEntry(ctx, fin2.Snapshot, 0, assessment.CompanyKey(fifth)); e == nil {
		t.Error("SnapshotEntry by key finds nothing")
	}
	if e, _ := f.db.SnapshotEntry(ctx, r2.ID, fifth.ID, ""); e == nil {
		t.Error("the second release's snapshot does not hold the fifth company")
	}
	// Deleting the result erases its snapshot rows: nothing to find any more, in either
	// snapshot kept, by id or by key.
	if err := f.db.DeleteAssessment(ctx, fifth.Token); err != nil {
		t.Fatal(err)
	}
	for _, snapshot := range []int64{fin2.Snapshot, r2.ID} {
		if e, _ := f.db.SnapshotEntry(ctx, snapshot, fifth.ID, ""); e != nil {
			t.Errorf("after deletion SnapshotEntry(%d) = %+v, want nothing", snapshot, e)
		}
		if e, _ := f.db.SnapshotEntry(ctx, snapshot, 0, assessment.CompanyKey(fifth)); e != nil {
			t.Errorf("after deletion SnapshotEntry(%d) by key = %+v, want nothing", snapshot, e)
		}
	}
}

// testReleaseNoiseStored: the noise of a release is drawn when it is made and stored: reading
// the release again, from another handle, gives the same numbers.
func testReleaseNoiseStored(t *testing.T, d Database) {
	ctx := context.Background()
	f := newReleaseFixture(t, d)
	for i := range 6 {
		f.company("finance", float64(1+i%5))
	}
	if _, err := f.db.MakeRelease(ctx, f.q, false, seededNoise()); err != nil {
		t.Fatal(err)
	}
	r := f.release()
	all, _ := groupOf(r, "all", "")
	a, err := f.db.ReleasePool(ctx, f.q, all.Content)
	if err != nil {
		t.Fatal(err)
	}
	other := d.Open(t, f.clock)
	b, err := other.ReleasePool(ctx, f.q, all.Content)
	if err != nil {
		t.Fatal(err)
	}
	// Exact sum of the overall AS-IS: 1+2+3+4+5+1 = 16; the noise moved it.
	if a.AsIs[0].Sum == 16 || a.AsIs[0].Sum != b.AsIs[0].Sum || !slices.Equal(a.AsIs[0].AtOrBelow, b.AsIs[0].AtOrBelow) {
		t.Errorf("sums %g and %g, want equal and noisy (not 16)", a.AsIs[0].Sum, b.AsIs[0].Sum)
	}
}
