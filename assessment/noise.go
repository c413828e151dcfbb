package assessment

import "math"

// This file holds how the benchmark publishes a peer group: on which grid its values are
// counted, and how much random noise each published number carries. docs/privacy.md explains
// the choices and the guarantee they give; release.go decides which groups are published.
//
// Three kinds of number leave a release, each from its own noisy source, drawn once when the
// release is made and stored with it (so re-reading never averages the noise away):
//
//   - medians and quartiles, from a histogram whose counts carry discrete Laplace noise
//     (QuantileNoise): rough below QuartilesExactFrom companies, so that a company of a small
//     group is hidden even from someone who knows all the others; negligible from there on,
//     so that a group of 30 or more keeps its medians within 0.1 of the truth;
//   - means, from a sum with discrete Laplace noise of a fixed scale
//     (Questionnaire.MeanNoise), which is ε-differentially private for every group size;
//   - percentile ranks, from counts of companies at or below each grid value, each with
//     discrete Laplace noise of a fixed scale (CDFNoise).
//
// Means and percentile ranks are what differencing turns into one company's answers (a mean
// times the group size is a sum; percentile ranks at every grid value are a histogram), so
// their noise does not shrink. Quantiles cannot be added or subtracted; their protection in
// large groups is the release rules. Every draw is exact (sampler.go).

// NoiseSource draws the noise of a release. Every number of noise is an integer — a number of
// companies, or of Quanta on a sum — drawn from the discrete Laplace distribution, so that a
// published number is its exact value plus a whole number of steps of a fixed grid: nothing in
// its low bits depends on the exact value, the flaw of textbook floating-point Laplace noise
// (Mironov, "On significance of the least significant bits for differential privacy", CCS
// 2012). Production draws with a Sampler on crypto/rand (CryptoNoise); tests pass a Sampler on a
// seeded generator, a source that draws no noise, or scripted draws.
type NoiseSource interface {
	// DiscreteLaplace draws an integer k with probability ∝ exp(−|k|/b).
	DiscreteLaplace(b NoiseScale) int64
}

// NoiseScale is the scale b = Num/Den of discrete Laplace noise, kept as a fraction of whole
// numbers so that it is sampled exactly.
type NoiseScale struct{ Num, Den int64 }

// Float returns b as a number, for reporting.
func (b NoiseScale) Float() float64 { return float64(b.Num) / float64(b.Den) }

// GridSteps is into how many steps a scale point is divided when a distribution is published:
// twelfths, so that a single test's competencies (whole numbers) and categories (thirds), and
// workshop means over 2, 3, 4 or 6 participants, fall on the grid exactly, and any other value
// moves by at most 1/24 of a point.
const GridSteps = 12

// Grid is the fixed set of values a published distribution counts companies at: the answer
// scale from Min to Max in steps of 1/GridSteps. It is the same whatever the data, as
// differential privacy requires: an empty grid value gets noise like any other.
type Grid struct {
	Min, Max int
}

// Grid returns the publication grid of the questionnaire's scale.
func (q *Questionnaire) Grid() Grid { return Grid{Min: q.Scale.Min, Max: q.Scale.Max} }

// Len returns the number of grid values.
func (g Grid) Len() int { return (g.Max-g.Min)*GridSteps + 1 }

// Value returns grid value i, quantized.
func (g Grid) Value(i int) int64 { return Quantize(float64(g.Min) + float64(i)/GridSteps) }

// Index returns the index of the grid value nearest to the quantized value v.
func (g Grid) Index(v int64) int {
	i := int(math.Round((float64(v)/quantaPerPoint - float64(g.Min)) * GridSteps))
	return max(0, min(g.Len()-1, i))
}

// Snap returns the grid value nearest to the quantized value v.
func (g Grid) Snap(v int64) int64 { return g.Value(g.Index(v)) }

// Privacy budgets of the noise (see docs/privacy.md).
const (
	// MeanEpsilon is the ε of one published mean (with respect to one company joining or
	// leaving the group).
	MeanEpsilon = 1
)

// QuartilesExactFrom is the group size from which medians and quartiles are published
// (nearly) exactly: groups of this size or more keep them within 0.1 scale points of the exact
// value. Smaller groups get noise that hides one company from someone who knows all the
// others (QuantileNoise).
const QuartilesExactFrom = 30

// QuantileNoise returns the scale b of the discrete Laplace noise added to every count of the
// histogram a group of n companies publishes its medians and quartiles from. Below
// QuartilesExactFrom companies b is 1 (ε = 2/b = 2 per histogram): measured on the attack
// (TestQuartileAttack, and through the API TestAnonymityQuartilesAllOthers), someone who
// knows every other company of the group and reads the published P25, median and P75 then
// gets 10 to 12 of a company's 42 answers, guessing about 9, where exact quartiles gave away
// 18 to 27. (With b = 1/2 it was 12 to 14 through the API: too close to the bound of 14.)
// From QuartilesExactFrom on, b is MinPeers/(3·n) (1/18 at 30, when a count changes with
// probability 3·10⁻⁸): medians and quartiles stay within 0.1 of the truth, as the
// benchmark's use needs, and are protected by the release rules only (docs/privacy.md
// states what that leaves).
func QuantileNoise(n int) NoiseScale {
	switch {
	case n <= 0:
		return NoiseScale{0, 1}
	case n < QuartilesExactFrom:
		return NoiseScale{1, 1}
	}
	return NoiseScale{MinPeers, 3 * int64(n)}
}

// MeanNoise returns the scale of the discrete Laplace noise on the sum a mean is read from, in
// Quanta: the span of the scale (by how much one company can change the sum) over
// MeanEpsilon. In the mean of n companies it is span/(ε·n) points: 0.8 at 5 companies, 0.13
// at 30.
func (q *Questionnaire) MeanNoise() NoiseScale {
	return NoiseScale{int64(q.Scale.Max-q.Scale.Min) * quantaPerPoint, MeanEpsilon}
}

// CDFNoise is the scale of the discrete Laplace noise on every published count of companies
// at or below a grid value: 3 companies, so that ε = 1/3 per count (one company changes
// such a count by at most 1). An attacker who knows all other companies of a group and reads
// percentile ranks at every answer through tests of their own locates a company's answers
// from them: with a scale of 1, 17 of 42 (in a group of 10, through the API); with 2, 13;
// with 3, 10, about as many as by guessing (TestAnonymityPercentiles).
var CDFNoise = NoiseScale{3, 1}

// PublishedMetric is what a release publishes about one metric (one side, AS-IS or TO-BE) of
// one peer group. Everything a page or the API shows about the group is computed from it.
type PublishedMetric struct {
	// Hist counts companies by grid value, with QuantileNoise; medians and quartiles are read
	// from it.
	Hist Distribution
	// Sum is the sum of the companies' values in scale points, with MeanNoise (a whole number
	// of Quanta); the mean is Sum over the number of companies.
	Sum float64
	// AtOrBelow[i] counts the companies whose value is at or below grid value i, each with
	// CDFNoise (whole numbers); percentile ranks are read from it.
	AtOrBelow []float64
}

// Publish computes what a release publishes about one metric of n companies whose quantized
// values are values, drawing its noise from src in a fixed order: the histogram's grid
// values in ascending order, the sum, then the cumulative counts in ascending order.
func (q *Questionnaire) Publish(values []int64, src NoiseSource) PublishedMetric {
	g := q.Grid()
	counts := make([]int, g.Len())
	var sum int64
	for _, v := range values {
		counts[g.Index(v)]++
		sum += v
	}
	b := QuantileNoise(len(values))
	var m PublishedMetric
	noisy := make([]int, len(counts))
	best := 0
	for i, c := range counts {
		noisy[i] = c + int(src.DiscreteLaplace(b))
		if noisy[i] > noisy[best] {
			best = i
		}
		if noisy[i] > 0 {
			m.Hist.Values = append(m.Hist.Values, g.Value(i))
			m.Hist.Counts = append(m.Hist.Counts, noisy[i])
		}
	}
	if len(m.Hist.Values) == 0 && len(values) > 0 {
		// Every count came out at or below zero: keep the largest as one company, so that the
		// group has a median at all. This looks only at the noisy counts, so it is
		// post-processing and costs no privacy.
		m.Hist.Add(g.Value(best), 1)
	}
	m.Sum = float64(sum+src.DiscreteLaplace(q.MeanNoise())) / quantaPerPoint
	m.AtOrBelow = make([]float64, len(counts))
	cum := 0
	for i, c := range counts {
		cum += c
		m.AtOrBelow[i] = float64(int64(cum) + src.DiscreteLaplace(CDFNoise))
	}
	return m
}

// without returns m with one company of quantized value v taken out, for a company that is
// never compared with itself. The receiver is not modified.
func (m PublishedMetric) without(g Grid, v int64) PublishedMetric {
	out := PublishedMetric{Hist: m.Hist.clone(), Sum: m.Sum - float64(v)/quantaPerPoint, AtOrBelow: append([]float64(nil), m.AtOrBelow...)}
	out.Hist.Add(g.Snap(v), -1)
	for i := g.Index(v); i < len(out.AtOrBelow); i++ {
		out.AtOrBelow[i]--
	}
	return out
}

// Stats returns the published statistics of m for a group of n companies, and the percentile
// rank of a subject's quantized value v (snapped to the grid like every published value).
// Means and percentile ranks are clamped to their possible range: noise can push them out.
func (m PublishedMetric) Stats(g Grid, n int, v int64) PeerStats {
	s := PeerStats{Median: m.Hist.Quantile(.5), P25: m.Hist.Quantile(.25), P75: m.Hist.Quantile(.75)}
	if n > 0 {
		s.Mean = max(float64(g.Min), min(float64(g.Max), m.Sum/float64(n)))
		i := g.Index(v)
		below := 0.0
		if i > 0 {
			below = m.AtOrBelow[i-1]
		}
		// Below plus half of those at v: (AtOrBelow[i−1] + AtOrBelow[i]) / 2.
		s.Percentile = max(0, min(100, 100*(below+m.AtOrBelow[i])/2/float64(n)))
	}
	return s
}
