package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/sqlstore"
)

func questionnaire(t testing.TB) *assessment.Questionnaire {
	t.Helper()
	q, err := assessment.ParseQuestionnaire(loyalty.QuestionsFile, loyalty.QuestionsYAML)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func flat(asIs, toBe float64) assessment.Ratings {
	r := make(assessment.Ratings, 21)
	for i := range r {
		r[i] = assessment.Rating{AsIs: asIs, ToBe: toBe}
	}
	return r
}

// submit stores a test through the domain, as the web layer does.
func submit(t *testing.T, q *assessment.Questionnaire, db interface {
	CreateAssessment(context.Context, *assessment.Assessment) error
}, name, country, industry string, consent bool, asIs float64) *assessment.Assessment {
	t.Helper()
	var answers []assessment.Answer
	for i := 1; i <= 21; i++ {
		answers = append(answers, assessment.Answer{Competency: i, AsIs: asIs, ToBe: 5})
	}
	a, err := q.NewAssessment(assessment.Submission{Lang: "en", Company: assessment.Company{Name: name, Country: country, Industry: industry}, BenchmarkConsent: consent, Answers: answers})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAssessment(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// verify is the operator's check of a test (loyalty pool verify): it must enter the pool.
func verify(t *testing.T, q *assessment.Questionnaire, db *sqlstore.DB, a *assessment.Assessment) {
	t.Helper()
	if in, err := db.VerifyAssessment(context.Background(), q, a.ID); err != nil || !in {
		t.Fatalf("VerifyAssessment(%d) = %v, %v; want it in the pool", a.ID, in, err)
	}
}

// zeroNoise draws no noise, so that released statistics are the exact ones.
type zeroNoise struct{}

func (zeroNoise) DiscreteLaplace(assessment.NoiseScale) int64 { return 0 }

// releaseFixture is a store with a movable clock for release tests.
type releaseFixture struct {
	t    *testing.T
	q    *assessment.Questionnaire
	db   *sqlstore.DB
	path string
	now  time.Time
}

func newReleaseFixture(t *testing.T) *releaseFixture {
	f := &releaseFixture{t: t, q: questionnaire(t), path: filepath.Join(t.TempDir(), "release.db"),
		now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	f.db = open(t, f.path)
	f.db.Now = func() time.Time { return f.now }
	return f
}

// company adds a verified test of an anonymous company answering asIs everywhere.
func (f *releaseFixture) company(industry string, asIs float64) *assessment.Assessment {
	f.t.Helper()
	f.now = f.now.Add(time.Second)
	a := submit(f.t, f.q, f.db, "", "", industry, true, asIs)
	verify(f.t, f.q, f.db, a)
	return a
}

// release makes a release if one is due, as a reader would, and returns the latest.
func (f *releaseFixture) release() *assessment.Release {
	f.t.Helper()
	ctx := context.Background()
	st, err := f.db.ReleaseStatus(ctx, f.q.Version, false)
	if err != nil {
		f.t.Fatal(err)
	}
	if st.Due(f.now) {
		if _, err := f.db.MakeRelease(ctx, f.q, false, zeroNoise{}); err != nil {
			f.t.Fatal(err)
		}
		if st, err = f.db.ReleaseStatus(ctx, f.q.Version, false); err != nil {
			f.t.Fatal(err)
		}
	}
	if st.Latest == 0 {
		return nil
	}
	r, err := f.db.Release(ctx, st.Latest)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
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
	sqlstore.SetAfterPlan(f.db, func() { made2, err2 = other.MakeRelease(ctx, f.q, false, zeroNoise{}) })
	made1, err1 := f.db.MakeRelease(ctx, f.q, false, zeroNoise{})
	if err1 != nil || err2 != nil || made1 || !made2 {
		t.Errorf("MakeRelease on two handles = %v (%v), %v (%v); want the second's release only", made1, err1, made2, err2)
	}
	sqlstore.SetAfterPlan(f.db, nil)
	if n := queryInt(t, f.path, "SELECT count(*) FROM bench_releases"); n != 1 {
		t.Errorf("releases = %d, want 1", n)
	}
	// A release without demo companies and one with them are two pools: each gets its own.
	if made, err := other.MakeRelease(ctx, f.q, true, zeroNoise{}); err != nil || !made {
		t.Errorf("the demo pool's first release = %v, %v; want made", made, err)
	}
}

func BenchmarkReleasePool(b *testing.B) {
	ctx := context.Background()
	q := questionnaire(b)
	db := open(b, filepath.Join(b.TempDir(), "bench.db"))
	if err := db.AddSynthetic(ctx, q.SyntheticCompanies(1000, 1, time.Now())); err != nil {
		b.Fatal(err)
	}
	if _, err := db.MakeRelease(ctx, q, true, zeroNoise{}); err != nil {
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
