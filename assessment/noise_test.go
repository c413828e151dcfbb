package assessment_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

// scripted is a noise source that returns draws[i] for its i-th draw (counting from 0) and
// 0 for every other, so that a test can place single, hand-computed noise values.
type scripted struct {
	draws map[int]float64
	n     int
}

func (s *scripted) Float64() float64 {
	v := s.draws[s.n]
	s.n++
	return v
}

func TestGrid(t *testing.T) {
	g := mustQuestionnaire(t).Grid()
	// 1 to 5 in twelfths: 4·12 + 1 = 49 values.
	if g.Len() != 49 || g.Value(0) != 10000 || g.Value(48) != 50000 {
		t.Errorf("grid: %d values from %d to %d, want 49 from 10000 to 50000", g.Len(), g.Value(0), g.Value(48))
	}
	for _, tt := range []struct {
		name string
		v    float64
		snap int64
	}{
		{"a whole number stays", 3, 30000},
		{"a third stays: 7/3 is twelfth 16", 7.0 / 3, 23333},
		{"a quarter stays: 3.25 is twelfth 27", 3.25, 32500},
		// 64/21 = 3.047619…: (3.047619 − 1)·12 = 24.57 → twelfth 25 = 1 + 25/12 = 3.08333….
		{"an overall of 64/21 moves to 37/12", 64.0 / 21, 30833},
		// 2.2: (1.2)·12 = 14.4 → twelfth 14 = 1 + 14/12 = 2.16667.
		{"a fifth moves by 1/30", 2.2, 21667},
		{"below the scale clamps to its minimum", 0.5, 10000},
	} {
		if got := g.Snap(assessment.Quantize(tt.v)); got != tt.snap {
			t.Errorf("%s: Snap(%g) = %d, want %d", tt.name, tt.v, got, tt.snap)
		}
	}
}

func TestNoiseScales(t *testing.T) {
	q := mustQuestionnaire(t)
	for _, tt := range []struct {
		n    int
		want float64
	}{{0, 0}, {5, 1.0 / 3}, {10, 1.0 / 6}, {30, 1.0 / 18}} {
		// b = MinPeers / (3·n): 5/15, 5/30, 5/90.
		if got := assessment.QuantileNoise(tt.n); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("QuantileNoise(%d) = %g, want %g", tt.n, got, tt.want)
		}
	}
	// The sum of a metric on a 1-5 scale moves by at most 4 when one company joins: b = 4/ε = 4.
	if got := q.MeanNoise(); got != 4 {
		t.Errorf("MeanNoise = %g, want 4", got)
	}
}

func TestLaplaceDraws(t *testing.T) {
	// Laplace: b·(−ln(1−u1) + ln(1−u2)). u1 = 0.5, u2 = 0.75: 2·(ln 2 − ln 4) = −2 ln 2.
	if got := assessment.Laplace(&scripted{draws: map[int]float64{0: .5, 1: .75}}, 2); math.Abs(got+2*math.Ln2) > 1e-12 {
		t.Errorf("Laplace(0.5, 0.75; b=2) = %g, want %g", got, -2*math.Ln2)
	}
	// Discrete Laplace with b = 1/3: α = e^−3, a geometric draw is ⌊ln(1−u)/ln α⌋ = ⌊−ln(1−u)/3⌋.
	for _, tt := range []struct {
		u1, u2 float64
		want   int
	}{
		{.99, .5, 1},    // ⌊4.605/3⌋ − ⌊0.693/3⌋ = 1 − 0
		{.2, .999, -2},  // ⌊0.223/3⌋ − ⌊6.908/3⌋ = 0 − 2
		{.9, .9, 0},     // the same draw twice cancels
		{0, 0, 0},       // a source of zeros draws no noise
		{.9999, 0.0, 3}, // ⌊9.21/3⌋ = 3
	} {
		src := &scripted{draws: map[int]float64{0: tt.u1, 1: tt.u2}}
		if got := assessment.DiscreteLaplace(src, 1.0/3); got != tt.want || src.n != 2 {
			t.Errorf("DiscreteLaplace(%g, %g; b=1/3) = %d after %d draws, want %d after 2", tt.u1, tt.u2, got, src.n, tt.want)
		}
	}
	// With no noise scale, nothing is drawn but the two numbers are still consumed, so the
	// draws of later counts do not shift.
	src := &scripted{draws: map[int]float64{0: .9999, 1: .2}}
	if got := assessment.DiscreteLaplace(src, 0); got != 0 || src.n != 2 {
		t.Errorf("DiscreteLaplace(b=0) = %d after %d draws, want 0 after 2", got, src.n)
	}
}

// TestPublish works one published metric out by hand: three companies at 3, 3 and 4, with
// noise placed on a few draws. The draws come in a fixed order: two per grid value for the
// histogram (grid value i: draws 2i and 2i+1), two for the sum (98, 99), then two per grid
// value for the cumulative counts (grid value i: draws 100+2i and 101+2i).
func TestPublish(t *testing.T) {
	q := mustQuestionnaire(t)
	values := []int64{30000, 30000, 40000}
	// n = 3: b = 5/9, α = e^−1.8, a geometric draw is ⌊−ln(1−u)/1.8⌋.
	src := &scripted{draws: map[int]float64{
		2 * 24:     .99, // grid value 24 (3.0), first draw: ⌊4.605/1.8⌋ = 2 → 2 + 2 = 4 companies
		2*0 + 1:    .9,  // grid value 0 (1.0), second draw: ⌊2.303/1.8⌋ = 1 → 0 − 1 = −1 → none
		2 * 30:     .9,  // grid value 30 (3.5): 0 + 1 = 1 company that does not exist
		98:         .5,  // the sum: 4·(ln 2 − 0) = 2.7726 on top of 3 + 3 + 4 = 10
		100 + 2*24: .5,  // at or below 3.0: 2 + ln 2
	}}
	m := q.Publish(values, src)
	if src.n != 198 {
		t.Fatalf("Publish drew %d numbers, want 49·2 + 2 + 49·2 = 198", src.n)
	}
	want := assessment.Distribution{Values: []int64{30000, 35000, 40000}, Counts: []int{4, 1, 1}}
	if !equalDist(m.Hist, want) {
		t.Errorf("Hist = %+v, want %+v", m.Hist, want)
	}
	if math.Abs(m.Sum-(10+4*math.Ln2)) > 1e-9 {
		t.Errorf("Sum = %g, want %g", m.Sum, 10+4*math.Ln2)
	}
	// Cumulative counts: 0 below 3.0 (grid 0-23), 2 from 3.0 (24-35) plus the noise at 24,
	// 3 from 4.0 (36-48).
	for _, c := range []struct {
		i    int
		want float64
	}{{0, 0}, {23, 0}, {24, 2 + math.Ln2}, {25, 2}, {35, 2}, {36, 3}, {48, 3}} {
		if math.Abs(m.AtOrBelow[c.i]-c.want) > 1e-9 {
			t.Errorf("AtOrBelow[%d] = %g, want %g", c.i, m.AtOrBelow[c.i], c.want)
		}
	}

	// The statistics a page shows, for a subject at 3.0: the histogram [3 3 3 3 3.5 4] has
	// median h = 2.5 → 3 and P75 h = 3.75 → 3 + .75·(3.5 − 3) = 3.375; the mean is
	// (10 + 4 ln 2)/3 = 4.2575; the percentile rank is 100·(AtOrBelow[23] + AtOrBelow[24])/2/3
	// = 100·(2 + ln 2)/6 = 44.885.
	s := m.Stats(q.Grid(), 3, 30000)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"median", s.Median, 3}, {"p75", s.P75, 3.375}, {"mean", s.Mean, (10 + 4*math.Ln2) / 3}, {"percentile", s.Percentile, 100 * (2 + math.Ln2) / 6}} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %g, want %g", c.name, c.got, c.want)
		}
	}
}

// TestPeerPoolWithoutPublished takes a company out of published statistics: its value leaves
// the histogram, the sum and every cumulative count from its grid value up.
func TestPeerPoolWithoutPublished(t *testing.T) {
	q := mustQuestionnaire(t)
	m := q.Publish([]int64{30000, 30000, 40000}, zeroNoise{})
	p := assessment.PeerPool{AsIs: []assessment.PublishedMetric{m}, ToBe: []assessment.PublishedMetric{m}, Companies: 3, Grid: q.Grid()}
	w := p.Without(assessment.PoolEntry{AsIs: []int64{40000}, ToBe: []int64{30000}})
	if w.Companies != 2 || !equalDist(w.AsIs[0].Hist, assessment.Distribution{Values: []int64{30000}, Counts: []int{2}}) || w.AsIs[0].Sum != 6 {
		t.Errorf("AS-IS without the 4: %d companies, %+v, sum %g; want 2, [3 ×2], 6", w.Companies, w.AsIs[0].Hist, w.AsIs[0].Sum)
	}
	// TO-BE without a 3: at or below 3.0 (grid 24) 2 − 1 = 1, at or below 4.0 (grid 36) 3 − 1 = 2.
	if got := w.ToBe[0].AtOrBelow; got[23] != 0 || got[24] != 1 || got[36] != 2 {
		t.Errorf("TO-BE cumulative counts at 23, 24, 36 = %g, %g, %g; want 0, 1, 2", got[23], got[24], got[36])
	}
	if p.Companies != 3 || p.AsIs[0].Hist.N() != 3 || p.ToBe[0].AtOrBelow[24] != 2 {
		t.Error("Without changed the pool it was given")
	}
}

func equalDist(a, b assessment.Distribution) bool {
	if len(a.Values) != len(b.Values) {
		return false
	}
	for i := range a.Values {
		if a.Values[i] != b.Values[i] || a.Counts[i] != b.Counts[i] {
			return false
		}
	}
	return true
}

func TestPublishSeeded(t *testing.T) {
	q := mustQuestionnaire(t)
	values := []int64{30000, 30000, 40000, 20000, 30000}
	a := q.Publish(values, rand.New(rand.NewPCG(1, 2)))
	b := q.Publish(values, rand.New(rand.NewPCG(1, 2)))
	c := q.Publish(values, rand.New(rand.NewPCG(1, 3)))
	if !equalDist(a.Hist, b.Hist) || a.Sum != b.Sum {
		t.Error("the same seed drew different noise")
	}
	if a.Sum == c.Sum {
		t.Error("another seed drew the same noise on the sum")
	}
}
