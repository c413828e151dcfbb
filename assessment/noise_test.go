package assessment_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

// scripted is a noise source that returns draws[i] for its i-th draw (counting from 0) and
// 0 for every other, and records the scale of every draw, so that a test can place single,
// hand-computed noise values.
type scripted struct {
	draws  map[int]int64
	scales []assessment.NoiseScale
}

func (s *scripted) DiscreteLaplace(b assessment.NoiseScale) int64 {
	s.scales = append(s.scales, b)
	return s.draws[len(s.scales)-1]
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
		want assessment.NoiseScale
	}{
		{0, assessment.NoiseScale{Num: 0, Den: 1}},
		// Below 30 companies: 1, whatever the size.
		{5, assessment.NoiseScale{Num: 1, Den: 1}},
		{29, assessment.NoiseScale{Num: 1, Den: 1}},
		// From 30: 5/(3·n), 5/90 = 1/18 at 30.
		{30, assessment.NoiseScale{Num: 5, Den: 90}},
		{300, assessment.NoiseScale{Num: 5, Den: 900}},
	} {
		if got := assessment.QuantileNoise(tt.n); got != tt.want {
			t.Errorf("QuantileNoise(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	// The sum of a metric on a 1-5 scale moves by at most 4 points (40,000 quanta) when one
	// company joins: b = 4/ε = 40,000 quanta.
	if got := q.MeanNoise(); got != (assessment.NoiseScale{Num: 40000, Den: 1}) {
		t.Errorf("MeanNoise = %v, want 40000/1 quanta", got)
	}
}

// zeros is random bits that are always 0.
type zeros struct{}

func (zeros) Uint64() uint64 { return 0 }

// TestSamplerZeros: a sampler whose bits are all 0 draws 0 at every scale, so that tests of
// exact statistics can rely on it, and a scale of 0 draws nothing.
func TestSamplerZeros(t *testing.T) {
	s := assessment.NewSampler(zeros{})
	for _, b := range []assessment.NoiseScale{{Num: 1, Den: 2}, {Num: 1, Den: 1}, {Num: 5, Den: 90}, {Num: 40000, Den: 1}, {Num: 0, Den: 1}} {
		if got := s.DiscreteLaplace(b); got != 0 {
			t.Errorf("DiscreteLaplace(%v) from zero bits = %d, want 0", b, got)
		}
	}
}

// TestSamplerDistribution: the sampler draws the discrete Laplace distribution, P(k) =
// (1−α)/(1+α)·α^|k| with α = exp(−1/b). 200,000 seeded draws per scale; every frequency of
// k = −3…3 within 5 standard errors of its probability, and the mean of |k| (2α/(1−α²)) within
// 5 standard errors too. For b = 1/2: α = e^−2, P(0) = 0.7616, P(±1) = 0.1031, P(±2) = 0.0140.
func TestSamplerDistribution(t *testing.T) {
	const draws = 200000
	for _, b := range []assessment.NoiseScale{{Num: 1, Den: 2}, {Num: 1, Den: 1}, {Num: 3, Den: 1}, {Num: 5, Den: 90}, {Num: 40000, Den: 1}} {
		s := assessment.NewSampler(rand.New(rand.NewPCG(uint64(b.Num), uint64(b.Den))))
		alpha := math.Exp(-float64(b.Den) / float64(b.Num))
		counts := map[int64]int{}
		var absSum, absSq float64
		for range draws {
			k := s.DiscreteLaplace(b)
			counts[k]++
			absSum += math.Abs(float64(k))
			absSq += float64(k) * float64(k)
		}
		for k := int64(-3); k <= 3; k++ {
			p := (1 - alpha) / (1 + alpha) * math.Pow(alpha, math.Abs(float64(k)))
			got := float64(counts[k]) / draws
			if se := math.Sqrt(p * (1 - p) / draws); math.Abs(got-p) > 5*se+1e-12 {
				t.Errorf("b = %v: P(%d) = %.5f, want %.5f ± %.5f", b, k, got, p, 5*se)
			}
		}
		wantAbs := 2 * alpha / (1 - alpha*alpha)
		mean := absSum / draws
		if se := math.Sqrt((absSq/draws - mean*mean) / draws); math.Abs(mean-wantAbs) > 5*se+1e-6 {
			t.Errorf("b = %v: mean |k| = %.4f, want %.4f ± %.4f", b, mean, wantAbs, 5*se)
		}
	}
}

// TestPublish works one published metric out by hand: three companies at 3, 3 and 4, with
// noise placed on a few draws. The draws come in a fixed order: one per grid value for the
// histogram (grid value i: draw i), one for the sum (49), then one per grid value for the
// cumulative counts (grid value i: draw 50+i).
func TestPublish(t *testing.T) {
	q := mustQuestionnaire(t)
	values := []int64{30000, 30000, 40000}
	src := &scripted{draws: map[int]int64{
		24:      2,     // grid value 24 (3.0): 2 + 2 = 4 companies
		0:       -1,    // grid value 0 (1.0): 0 − 1 = −1 → none
		30:      1,     // grid value 30 (3.5): 0 + 1 = 1 company that does not exist
		49:      27726, // the sum: 2.7726 points on top of 3 + 3 + 4 = 10
		50 + 24: 1,     // at or below 3.0: 2 + 1
	}}
	m := q.Publish(values, src)
	if len(src.scales) != 99 {
		t.Fatalf("Publish drew %d numbers, want 49 + 1 + 49 = 99", len(src.scales))
	}
	// Three companies are a small group: the histogram's noise has scale 1; the sum's is
	// 40,000 quanta (4 points); the cumulative counts' 3.
	for i, b := range src.scales {
		want := assessment.NoiseScale{Num: 1, Den: 1}
		switch {
		case i == 49:
			want = assessment.NoiseScale{Num: 40000, Den: 1}
		case i > 49:
			want = assessment.NoiseScale{Num: 3, Den: 1}
		}
		if b != want {
			t.Errorf("draw %d has scale %v, want %v", i, b, want)
		}
	}
	want := assessment.Distribution{Values: []int64{30000, 35000, 40000}, Counts: []int{4, 1, 1}}
	if !equalDist(m.Hist, want) {
		t.Errorf("Hist = %+v, want %+v", m.Hist, want)
	}
	if m.Sum != 12.7726 {
		t.Errorf("Sum = %v, want 12.7726", m.Sum)
	}
	// Cumulative counts: 0 below 3.0 (grid 0-23), 2 from 3.0 (24-35) plus the noise at 24,
	// 3 from 4.0 (36-48).
	for _, c := range []struct {
		i    int
		want float64
	}{{0, 0}, {23, 0}, {24, 3}, {25, 2}, {35, 2}, {36, 3}, {48, 3}} {
		if m.AtOrBelow[c.i] != c.want {
			t.Errorf("AtOrBelow[%d] = %g, want %g", c.i, m.AtOrBelow[c.i], c.want)
		}
	}

	// The statistics a page shows, for a subject at 3.0: the histogram [3 3 3 3 3.5 4] has
	// median h = 2.5 → 3 and P75 h = 3.75 → 3 + .75·(3.5 − 3) = 3.375; the mean is
	// 12.7726/3 = 4.25753; the percentile rank is 100·(AtOrBelow[23] + AtOrBelow[24])/2/3
	// = 100·3/6 = 50.
	s := m.Stats(q.Grid(), 3, 30000)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"median", s.Median, 3}, {"p75", s.P75, 3.375}, {"mean", s.Mean, 12.7726 / 3}, {"percentile", s.Percentile, 50}} {
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
	a := q.Publish(values, assessment.NewSampler(rand.New(rand.NewPCG(1, 2))))
	b := q.Publish(values, assessment.NewSampler(rand.New(rand.NewPCG(1, 2))))
	c := q.Publish(values, assessment.NewSampler(rand.New(rand.NewPCG(1, 3))))
	if !equalDist(a.Hist, b.Hist) || a.Sum != b.Sum {
		t.Error("the same seed drew different noise")
	}
	if a.Sum == c.Sum {
		t.Error("another seed drew the same noise on the sum")
	}
}
