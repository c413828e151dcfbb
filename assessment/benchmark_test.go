package assessment_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// dist builds a distribution from plain values in scale points.
func dist(values ...float64) assessment.Distribution {
	var d assessment.Distribution
	for _, v := range values {
		d.Add(assessment.Quantize(v), 1)
	}
	return d
}

func TestDistributionStats(t *testing.T) {
	tests := []struct {
		name                        string
		values                      []float64
		subject                     float64
		mean, median, p25, p75, pct float64
	}{
		// Even n=4 [1 2 3 4]: type 7 h=(n-1)p. median h=1.5 → 2+.5·1 = 2.5; p25 h=.75 → 1+.75 = 1.75;
		// p75 h=2.25 → 3+.25 = 3.25. Subject 3: 2 below, 1 equal → 100·(2+.5)/4 = 62.5.
		{"even", []float64{4, 1, 3, 2}, 3, 2.5, 2.5, 1.75, 3.25, 62.5},
		// Odd n=5 [1 2 2 5 9]: mean 19/5 = 3.8; median h=2 → 2; p25 h=1 → 2; p75 h=3 → 5.
		// Subject 2: 1 below, 2 equal → 100·(1+1)/5 = 40.
		{"odd with ties", []float64{2, 9, 1, 5, 2}, 2, 3.8, 2, 2, 5, 40},
		// One distinct value: everything 3; subject 3 is equal to all 5 → 50.
		{"single value", []float64{3, 3, 3, 3, 3}, 3, 3, 3, 3, 3, 50},
		// Subject above all 6: [1 1 2 2 3 3] → 100. median h=2.5 → 2+.5·0 = 2; p25 h=1.25 → 1+.25·1 = 1.25;
		// p75 h=3.75 → 2+.75·1 = 2.75; mean 12/6 = 2.
		{"subject above all", []float64{1, 1, 2, 2, 3, 3}, 5, 2, 2, 1.25, 2.75, 100},
		// Thirds as category means: [2.3333 2.6667 3] median 2.6667; subject 7/3 equal to the lowest → 100·.5/3.
		{"thirds", []float64{7.0 / 3, 8.0 / 3, 3}, 7.0 / 3, 8.0 / 3, 8.0 / 3, 2.5, 2.8333, 100 * 0.5 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := dist(tt.values...)
			if d.N() != len(tt.values) {
				t.Fatalf("N = %d, want %d", d.N(), len(tt.values))
			}
			s := d.Stats(tt.subject)
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"mean", s.Mean, tt.mean}, {"median", s.Median, tt.median}, {"p25", s.P25, tt.p25}, {"p75", s.P75, tt.p75}, {"percentile", s.Percentile, tt.pct}} {
				if math.Abs(c.got-c.want) > 2e-4 {
					t.Errorf("%s = %g, want %g", c.name, c.got, c.want)
				}
			}
		})
	}
}

func TestDistributionAddRemove(t *testing.T) {
	d := dist(3, 1, 3)
	d.Add(assessment.Quantize(3), -1)
	if d.N() != 2 || d.Quantile(1) != 3 {
		t.Errorf("after removing one 3: N = %d, max = %g; want 2, 3", d.N(), d.Quantile(1))
	}
	d.Add(assessment.Quantize(3), -1)
	if len(d.Values) != 1 || d.N() != 1 {
		t.Errorf("after removing both 3s: values = %v, want [1]", d.Values)
	}
	d.Add(assessment.Quantize(7), -1) // removing an absent value is a no-op
	if d.N() != 1 {
		t.Errorf("removing an absent value changed N to %d", d.N())
	}
}

func TestCompanyKey(t *testing.T) {
	a := &assessment.Assessment{Token: "tok", Company: assessment.Company{Name: "ACME A/S", Country: "dk"}}
	b := &assessment.Assessment{Token: "other", Company: assessment.Company{Name: " acme  a.s ", Country: "DK"}}
	if assessment.CompanyKey(a) != assessment.CompanyKey(b) || assessment.CompanyKey(a) != "name:acmeas|DK" {
		t.Errorf("CompanyKey = %q and %q, want both name:acmeas|DK", assessment.CompanyKey(a), assessment.CompanyKey(b))
	}
	c := &assessment.Assessment{Token: "tok", Company: assessment.Company{Name: "Acme A/S", Country: "SE"}}
	if assessment.CompanyKey(a) == assessment.CompanyKey(c) {
		t.Error("same name in another country must be another company")
	}
	anon := &assessment.Assessment{Token: "xyz"}
	if got := assessment.CompanyKey(anon); got != "anon:xyz" {
		t.Errorf("CompanyKey(anonymous) = %q, want anon:xyz", got)
	}
}

// poolOf publishes a peer pool of whole-company ratings as a release would, without noise,
// so that its statistics are the exact ones worked out by hand (noise_test.go tests noise).
func poolOf(q *assessment.Questionnaire, companies ...assessment.Ratings) assessment.PeerPool {
	var entries []assessment.PoolEntry
	for i, r := range companies {
		entries = append(entries, q.NewPoolEntry("k"+string(rune('a'+i)), assessment.Company{}, r, time.Time{}))
	}
	return q.PublishPool(entries, zeroNoise{})
}

// zeroNoise is a noise source that always draws 0: every Laplace and discrete Laplace draw
// from it is exactly 0.
type zeroNoise struct{}

func (zeroNoise) DiscreteLaplace(assessment.NoiseScale) int64 { return 0 }

func uniform(asIs, toBe float64) assessment.Ratings {
	r := make(assessment.Ratings, 21)
	for i := range r {
		r[i] = assessment.Rating{AsIs: asIs, ToBe: toBe}
	}
	return r
}

func TestCompareThreshold(t *testing.T) {
	q := mustQuestionnaire(t)
	res := q.Score(uniform(3, 4))
	for _, tt := range []struct {
		peers int
		want  bool
	}{{4, false}, {5, true}} {
		var cs []assessment.Ratings
		for range tt.peers {
			cs = append(cs, uniform(2, 4))
		}
		b := q.Compare(&res, assessment.GroupAll, "", poolOf(q, cs...))
		if b.Available != tt.want {
			t.Errorf("%d peers: Available = %v, want %v", tt.peers, b.Available, tt.want)
		}
		if !tt.want && (b.Peers != 0 || b.Competencies != nil) {
			t.Errorf("%d peers: unavailable benchmark leaks Peers=%d or statistics", tt.peers, b.Peers)
		}
	}
}

func TestCompareWorked(t *testing.T) {
	q := mustQuestionnaire(t)
	// Five peers, all 2 → 4 except: peer competency 19 AS-IS values 1,1,2,3,3 and competency 2
	// AS-IS 1,1,1,1,1. TO-BE of competency 5 is 5 for every peer.
	var peers []assessment.Ratings
	c19 := []float64{1, 1, 2, 3, 3}
	for i := range 5 {
		r := uniform(2, 4)
		r[18].AsIs = c19[i]
		r[1].AsIs = 1
		r[4].ToBe = 5
		peers = append(peers, r)
	}
	// Subject: 2 → 4 everywhere except competency 7 AS-IS 1 and competency 2 AS-IS 4.
	subj := uniform(2, 4)
	subj[6].AsIs = 1
	subj[1].AsIs = 4
	res := q.Score(subj)
	b := q.Compare(&res, assessment.GroupAll, "", poolOf(q, peers...))
	if !b.Available || b.Peers != 5 {
		t.Fatalf("Available = %v, Peers = %d; want true, 5", b.Available, b.Peers)
	}
	// Competency 19 peers [1 1 2 3 3]: median 2, p25 h=1 → 1, p75 h=3 → 3, mean 2; subject 2:
	// 2 below + 1 equal → 100·2.5/5 = 50.
	c := b.Competencies[18]
	if c.Number != 19 || c.AsIs.Median != 2 || c.AsIs.P25 != 1 || c.AsIs.P75 != 3 || c.AsIs.Percentile != 50 {
		t.Errorf("competency 19 = %+v, want median 2, p25 1, p75 3, percentile 50", c.AsIs)
	}
	// Competency 7: subject 1 < peer median 2 → the only competency below the median.
	if b.Summary.BelowMedian != 1 || !slices.Equal(b.Summary.Shortfalls, []int{7}) {
		t.Errorf("BelowMedian = %d, Shortfalls = %v; want 1, [7]", b.Summary.BelowMedian, b.Summary.Shortfalls)
	}
	// Competency 2: subject 4 above every peer (all 1) → strength, percentile 100.
	if !slices.Equal(b.Summary.Strengths, []int{2}) || b.Competencies[1].AsIs.Percentile != 100 {
		t.Errorf("Strengths = %v (percentile %g), want [2] at 100", b.Summary.Strengths, b.Competencies[1].AsIs.Percentile)
	}
	// Competency 5: peers aim for 5, the subject for 4.
	if !slices.Equal(b.Summary.AimHigher, []int{5}) {
		t.Errorf("AimHigher = %v, want [5]", b.Summary.AimHigher)
	}
	// Leadership (1-3): subject (2+4+2)/3 = 8/3; peers (2+1+2)/3 = 5/3 for all → P75 5/3 → ahead.
	// Yearly plan (7-9): subject (1+2+2)/3 = 5/3 < peers' 2 → behind. Mobilization: equal → in line.
	for _, w := range []struct {
		i    int
		want string
	}{{0, assessment.StandingAhead}, {1, assessment.StandingInLine}, {2, assessment.StandingBehind}} {
		if got := b.Categories[w.i].Standing; got != w.want {
			t.Errorf("category %s standing = %q, want %q", b.Categories[w.i].Key, got, w.want)
		}
	}
}

func TestPeerPoolWithout(t *testing.T) {
	q := mustQuestionnaire(t)
	subject := q.NewPoolEntry("me", assessment.Company{}, uniform(5, 5), time.Time{})
	p := poolOf(q, uniform(1, 2), uniform(5, 5), uniform(2, 3))
	w := p.Without(subject)
	if p.Peers() != 3 || w.Peers() != 2 {
		t.Errorf("Peers = %d before, %d after; want 3, 2", p.Peers(), w.Peers())
	}
	// Without the 5s, the overall AS-IS max is 2.
	if got := w.AsIs[0].Hist.Quantile(1); got != 2 {
		t.Errorf("max overall AS-IS after removal = %g, want 2", got)
	}
}

func TestSyntheticCompanies(t *testing.T) {
	q := mustQuestionnaire(t)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := q.SyntheticCompanies(200, 7, at)
	b := q.SyntheticCompanies(200, 7, at)
	if len(a) != 200 || !slices.Equal(a[199].AsIs, b[199].AsIs) || a[5].Profile != b[5].Profile {
		t.Fatal("the same seed must give the same companies")
	}
	if c := q.SyntheticCompanies(1, 8, at); slices.Equal(c[0].AsIs, a[0].AsIs) && c[0].Profile == a[0].Profile {
		t.Error("another seed gave the same first company")
	}
	industries, segments := map[string]bool{}, map[string]int{}
	for _, e := range a {
		if !e.Synthetic || e.QuestionnaireVersion != q.Version {
			t.Fatalf("entry %q: synthetic %v, version %q", e.Key, e.Synthetic, e.QuestionnaireVersion)
		}
		for m := range e.AsIs {
			if e.AsIs[m] < assessment.Quantize(1) || e.ToBe[m] > assessment.Quantize(5) || e.ToBe[m] < e.AsIs[m] {
				t.Fatalf("entry %q metric %d: AS-IS %d, TO-BE %d outside the scale or below today", e.Key, m, e.AsIs[m], e.ToBe[m])
			}
		}
		industries[e.Profile.Industry] = true
		segments[e.Profile.NPSYears]++
	}
	if len(industries) != len(q.Industries) {
		t.Errorf("industries covered = %d, want all %d", len(industries), len(q.Industries))
	}
	// 20 / 60 / 20: with 200 companies the middle segment is the largest by far.
	if segments["1-5"] <= segments["<1"]+segments["5+"]/2 || segments["<1"] == 0 || segments["5+"] == 0 {
		t.Errorf("segments = %v, want roughly 20/60/20", segments)
	}
}

func TestDescribePool(t *testing.T) {
	q := mustQuestionnaire(t)
	// Five companies, all 3 → 4 (index 50: mediocre), except: competency 2 at 5 for all
	// (index 100: in place), competency 1 at 4 for all (index 75: in place), competencies 13
	// and 19 at 1 for all (index 0: missing), competency 20 at 2,2,2,3,3 (median 2, index 25:
	// missing).
	c20 := []float64{2, 2, 2, 3, 3}
	var cs []assessment.Ratings
	for i := range 5 {
		r := uniform(3, 4)
		r[1].AsIs, r[0].AsIs = 5, 4
		r[12].AsIs, r[18].AsIs = 1, 1
		r[19].AsIs = c20[i]
		cs = append(cs, r)
	}
	s := q.DescribePool(poolOf(q, cs...))
	if !s.Available || s.Companies != 5 {
		t.Fatalf("Available = %v with %d companies, want true with 5", s.Available, s.Companies)
	}
	if s.Counts[assessment.LevelMediocre] != 16 || s.Counts[assessment.LevelInPlace] != 2 || s.Counts[assessment.LevelMissing] != 3 {
		t.Errorf("Counts = %v, want 16 mediocre, 2 in place, 3 missing", s.Counts)
	}
	// In place, strongest first: 2 (median 5), then 1 (4). Missing, weakest first: 13 and 19
	// (median 1, in number order), then 20 (median 2).
	if !slices.Equal(s.InPlace, []int{2, 1}) || !slices.Equal(s.Missing, []int{13, 19, 20}) {
		t.Errorf("InPlace = %v, Missing = %v; want [2 1], [13 19 20]", s.InPlace, s.Missing)
	}
	if got := q.DescribePool(poolOf(q, cs[:4]...)); got.Available || got.Companies != 0 || got.Levels != nil {
		t.Errorf("4 companies: %+v, want nothing", got)
	}
}
