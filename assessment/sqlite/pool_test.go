package sqlite_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	loyalty "github.com/loyalty-cx/loyalty"
	"github.com/loyalty-cx/loyalty/assessment"
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

func TestPool(t *testing.T) {
	ctx := context.Background()
	q := questionnaire(t)
	path := filepath.Join(t.TempDir(), "pool.db")
	db := open(t, path)
	defer db.Close()
	n := len(q.Metrics())
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }

	peers := func(group, value string, synthetic bool) assessment.PeerPool {
		t.Helper()
		p, err := db.PeerPool(ctx, q.Version, group, value, n, synthetic)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	submit(t, q, db, "", "", "finance", false, 1)          // no consent: never in the pool
	submit(t, q, db, "Acme A/S", "DK", "finance", true, 2) // replaced below by the same company
	submit(t, q, db, "ACME a.s.", "dk", "finance", true, 4)
	submit(t, q, db, "Acme A/S", "SE", "retail", true, 3) // another country: another company
	anon := submit(t, q, db, "", "", "", true, 5)         // anonymous: its own company

	all := peers(assessment.GroupAll, "", false)
	// Pool: Acme DK (4, the latest), Acme SE (3), anonymous (5) → 3 companies, overall AS-IS [3 4 5].
	if got := all.Peers(); got != 3 {
		t.Fatalf("all: %d companies, want 3", got)
	}
	if med := all.AsIs[0].Quantile(.5); med != 4 {
		t.Errorf("all: median overall AS-IS = %g, want 4 (the DK company's latest result)", med)
	}
	fin := peers(assessment.GroupIndustry, "finance", false)
	if got := fin.Peers(); got != 1 || fin.AsIs[0].Quantile(0) != 4 {
		t.Errorf("finance: %d companies (min %g), want 1 with 4", got, fin.AsIs[0].Quantile(0))
	}
	if e, ok, err := db.PoolEntry(ctx, assessment.CompanyKey(anon)); err != nil || !ok || e.AsIs[0] != assessment.Quantize(5) {
		t.Errorf("PoolEntry(anonymous) = %+v, %v, %v; want its overall 5", e, ok, err)
	}
	// Groups: all 3; industry finance 1 (Acme DK), retail 1 (Acme SE); the anonymous company
	// has no profile, the named ones share size and NPS years left empty.
	groups, err := db.PoolGroups(ctx, q.Version, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []assessment.PeerGroupSize{{Group: "all", Value: "", Companies: 3}, {Group: "industry", Value: "finance", Companies: 1}, {Group: "industry", Value: "retail", Companies: 1}}
	if !slices.Equal(groups, want) {
		t.Errorf("PoolGroups = %+v, want %+v", groups, want)
	}
	if p, _ := db.PeerPool(ctx, "1999.1", assessment.GroupAll, "", n, false); p.Peers() != 0 {
		t.Errorf("another questionnaire version has %d companies, want 0", p.Peers())
	}

	// Synthetic companies count only when asked for, and can be removed without a trace.
	var demo []assessment.PoolEntry
	for i := range 4 {
		e := q.NewPoolEntry("demo:t:"+string(rune('a'+i)), assessment.Company{Industry: "finance"}, flat(1, 2), clock)
		e.Synthetic = true
		demo = append(demo, e)
	}
	if err := db.AddSynthetic(ctx, demo); err != nil {
		t.Fatal(err)
	}
	if got := peers(assessment.GroupAll, "", false).Peers(); got != 3 {
		t.Errorf("without demo mode: %d companies, want 3", got)
	}
	withDemo := peers(assessment.GroupIndustry, "finance", true)
	if withDemo.Peers() != 5 || !withDemo.Synthetic {
		t.Errorf("finance with demo: %d companies (synthetic %v), want 5, true", withDemo.Peers(), withDemo.Synthetic)
	}
	if c, _ := db.SyntheticCount(ctx); c != 4 {
		t.Errorf("SyntheticCount = %d, want 4", c)
	}
	removed, err := db.RemoveSynthetic(ctx)
	if err != nil || removed != 4 {
		t.Fatalf("RemoveSynthetic = %d, %v; want 4", removed, err)
	}
	if got := peers(assessment.GroupIndustry, "finance", true); got.Peers() != 1 || got.Synthetic {
		t.Errorf("after removal: %d companies (synthetic %v), want 1, false", got.Peers(), got.Synthetic)
	}
	if rows := queryInt(t, path, "SELECT count(*) FROM pool_hist WHERE synthetic = 1"); rows != 0 {
		t.Errorf("pool_hist keeps %d synthetic rows after removal", rows)
	}
}

func BenchmarkPeerPool(b *testing.B) {
	ctx := context.Background()
	q := questionnaire(b)
	db := open(b, filepath.Join(b.TempDir(), "bench.db"))
	defer db.Close()
	var demo []assessment.PoolEntry
	for i := range 1000 {
		r := flat(float64(1+i%5), 5)
		r[i%21].AsIs = float64(1 + (i/5)%5)
		e := q.NewPoolEntry("demo:b:"+string(rune(i)), assessment.Company{Industry: "finance"}, r, time.Time{})
		e.Synthetic = true
		demo = append(demo, e)
	}
	if err := db.AddSynthetic(ctx, demo); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.PeerPool(ctx, q.Version, assessment.GroupAll, "", len(q.Metrics()), true); err != nil {
			b.Fatal(err)
		}
	}
}
