package assessment

import "math"

// This file holds how the benchmark publishes a peer group: on which grid its values are
// counted, and how much random noise each published number carries. docs/privacy.md explains
// the choices and the guarantee they give; release.go decides which groups are published.
//
// Three kinds of number leave a release, each from its own noisy source, drawn once when the
// release is made and stored with it (so re-reading never averages the noise away):
//
//   - medians and quartiles, from a histogram whose counts carry discrete Laplace noise that
//     shrinks as the group grows (QuantileNoise): a company of a small group is hidden, while
//     a group of 30 or more keeps its medians within 0.1 of the truth;
//   - means, from a sum with Laplace noise of a fixed scale (Questionnaire.MeanNoise), which
//     is ε-differentially private for every group size;
//   - percentile ranks, from counts of companies at or below each grid value, each with
//     Laplace noise of a fixed scale (CDFNoise).
//
// Means and percentile ranks are what differencing turns into one company's answers (a mean
// times the group size is a sum; percentile ranks at every grid value are a histogram), so
// their noise does not shrink. Quantiles cannot be added or subtracted; their protection in
// large groups is the release rules.

// NoiseSource is where release noise comes from: uniform numbers in [0, 1). A *rand.Rand
// satisfies it; tests pass a seeded or scripted source.
type NoiseSource interface {
	Float64() float64
}

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
	// QuantileEpsilonAtMin is the ε of one quantile histogram of a group of MinPeers
	// companies. It grows in proportion to the group (QuantileNoise).
	QuantileEpsilonAtMin = 3.0
	// MeanEpsilon is the ε of one published mean (with respect to one company joining or
	// leaving the group).
	MeanEpsilon = 1.0
	// CDFEpsilon is the ε of one published count of companies at or below a grid value.
	CDFEpsilon = 1.0
)

// QuantileNoise returns the scale b of the discrete Laplace noise, P(k) ∝ exp(−|k|/b), added
// to every count of the histogram a group of n companies publishes its medians and quartiles
// from: MinPeers / (QuantileEpsilonAtMin · n). At 5 companies b is 1/3 (ε = 3 per histogram);
// at 30 it is 1/18, when a count changes with probability 3·10⁻⁸.
func QuantileNoise(n int) float64 {
	if n <= 0 {
		return 0
	}
	return MinPeers / (QuantileEpsilonAtMin * float64(n))
}

// MeanNoise returns the scale of the Laplace noise on the sum a mean is read from: the span
// of the scale (by how much one company can change the sum) over MeanEpsilon. In the mean of
// n companies it is span/(ε·n): 0.8 points at 5 companies, 0.13 at 30.
func (q *Questionnaire) MeanNoise() float64 {
	return float64(q.Scale.Max-q.Scale.Min) / MeanEpsilon
}

// CDFNoise is the scale of the Laplace noise on every published count of companies at or
// below a grid value: one company changes such a count by at most 1.
const CDFNoise = 1 / CDFEpsilon

// Laplace draws from the Laplace distribution with scale b, as the difference of two
// exponential draws (so that a source that always returns 0 draws exactly 0).
func Laplace(src NoiseSource, b float64) float64 {
	e1 := -math.Log(1 - src.Float64())
	e2 := -math.Log(1 - src.Float64())
	return b * (e1 - e2)
}

// DiscreteLaplace draws an integer k with probability ∝ exp(−|k|/b), the discrete analogue of
// Laplace noise (the geometric mechanism), as the difference of two geometric draws.
func DiscreteLaplace(src NoiseSource, b float64) int {
	alpha := 0.0
	if b > 0 {
		alpha = math.Exp(-1 / b)
	}
	up := geometric(src, alpha)
	down := geometric(src, alpha)
	return up - down
}

// geometric draws j ≥ 0 with P(j) = (1−α)·α^j by inverting its distribution function:
// P(j ≥ m) = α^m. It always consumes one number, so draws stay aligned whatever α is.
func geometric(src NoiseSource, alpha float64) int {
	u := src.Float64()
	if alpha <= 0 || u <= 0 {
		return 0
	}
	return int(math.Floor(math.Log(1-u) / math.Log(alpha)))
}

// PublishedMetric is what a release publishes about one metric (one side, AS-IS or TO-BE) of
// one peer group. Everything a page or the API shows about the group is computed from it.
type PublishedMetric struct {
	// Hist counts companies by grid value, with QuantileNoise; medians and quartiles are read
	// from it.
	Hist Distribution
	// Sum is the sum of the companies' values in scale points, with MeanNoise; the mean is
	// Sum over the number of companies.
	Sum float64
	// AtOrBelow[i] counts the companies whose value is at or below grid value i, each with
	// CDFNoise; percentile ranks are read from it.
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
		noisy[i] = c + DiscreteLaplace(src, b)
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
	m.Sum = float64(sum)/quantaPerPoint + Laplace(src, q.MeanNoise())
	m.AtOrBelow = make([]float64, len(counts))
	cum := 0
	for i, c := range counts {
		cum += c
		m.AtOrBelow[i] = float64(cum) + Laplace(src, CDFNoise)
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
