package assessment

import (
	"math"
	"sort"
)

// Metric kinds.
const (
	MetricOverall    = "overall"
	MetricTheme      = "theme"
	MetricCategory   = "category"
	MetricCompetency = "competency"
)

// Metric is one score a benchmark compares: overall, a theme, a category or a competency.
type Metric struct {
	Kind string
	// Key is the theme or category key, or the competency key.
	Key string
	// Number is the competency number (competencies only).
	Number int
}

// Metrics returns every benchmark metric in a fixed order: overall, the themes, the
// categories, then the competencies by number. Stored distributions are indexed by position
// in this list, so the order is part of the storage format: append, never reorder.
func (q *Questionnaire) Metrics() []Metric {
	ms := []Metric{{Kind: MetricOverall, Key: MetricOverall}}
	for _, t := range q.Themes {
		ms = append(ms, Metric{Kind: MetricTheme, Key: t.Key})
	}
	for _, c := range q.Categories {
		ms = append(ms, Metric{Kind: MetricCategory, Key: c.Key})
	}
	for _, c := range q.Competencies {
		ms = append(ms, Metric{Kind: MetricCompetency, Key: c.Key, Number: c.Number})
	}
	return ms
}

// MetricValues returns a result's AS-IS and TO-BE values in Metrics order.
func (r *Result) MetricValues() (asIs, toBe []float64) {
	n := 1 + len(r.Themes) + len(r.Categories) + len(r.Competencies)
	asIs, toBe = make([]float64, 0, n), make([]float64, 0, n)
	add := func(s Score) {
		asIs = append(asIs, s.AsIs)
		toBe = append(toBe, s.ToBe)
	}
	add(r.Overall)
	for _, t := range r.Themes {
		add(t.Score)
	}
	for _, c := range r.Categories {
		add(c.Score)
	}
	for _, c := range r.Competencies {
		add(c.Score)
	}
	return asIs, toBe
}

// Quantum is the resolution benchmark values are kept at: 1/10,000 of a scale point. Values
// are stored as whole multiples of it, so that equal scores compare equal (2.3333… from one
// company and another) and a distribution is a short list of distinct values with counts.
const Quantum = 1e-4

// quantaPerPoint is 1/Quantum. Converting back divides by it rather than multiplying by
// Quantum, so 24286 reads as 2.4286 and not 2.4286000000000003.
const quantaPerPoint = 10000

// Quantize returns v in units of Quantum.
func Quantize(v float64) int64 { return int64(math.Round(v * quantaPerPoint)) }

// Distribution is the peer distribution of one metric: distinct quantized values in
// ascending order with how many companies have each.
type Distribution struct {
	Values []int64
	Counts []int
}

// N returns the number of companies in d.
func (d Distribution) N() int {
	n := 0
	for _, c := range d.Counts {
		n += c
	}
	return n
}

// Add adds n companies with value v (n may be negative to remove), keeping d sorted and
// without zero counts.
func (d *Distribution) Add(v int64, n int) {
	i := sort.Search(len(d.Values), func(i int) bool { return d.Values[i] >= v })
	if i < len(d.Values) && d.Values[i] == v {
		d.Counts[i] += n
		if d.Counts[i] <= 0 {
			d.Values = append(d.Values[:i], d.Values[i+1:]...)
			d.Counts = append(d.Counts[:i], d.Counts[i+1:]...)
		}
		return
	}
	if n <= 0 {
		return
	}
	d.Values = append(d.Values, 0)
	d.Counts = append(d.Counts, 0)
	copy(d.Values[i+1:], d.Values[i:])
	copy(d.Counts[i+1:], d.Counts[i:])
	d.Values[i], d.Counts[i] = v, n
}

// Mean returns the mean value, in scale points.
func (d Distribution) Mean() float64 {
	var sum float64
	n := 0
	for i, v := range d.Values {
		sum += float64(v) * float64(d.Counts[i])
		n += d.Counts[i]
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n) / quantaPerPoint
}

// at returns the k-th smallest value (0-based).
func (d Distribution) at(k int) int64 {
	for i, c := range d.Counts {
		if k < c {
			return d.Values[i]
		}
		k -= c
	}
	return d.Values[len(d.Values)-1]
}

// Quantile returns the p-quantile (0 ≤ p ≤ 1) by linear interpolation between the closest
// ranks, the common "type 7" definition: h = (n−1)·p, x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
func (d Distribution) Quantile(p float64) float64 {
	n := d.N()
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	x := float64(d.at(lo))
	if lo+1 < n {
		x += (h - float64(lo)) * float64(d.at(lo+1)-d.at(lo))
	}
	return x / quantaPerPoint
}

// PercentileRank returns 100 × (companies below v + ½ × companies equal to v) / companies.
func (d Distribution) PercentileRank(v float64) float64 {
	qv := Quantize(v)
	below, equal, n := 0, 0, 0
	for i, x := range d.Values {
		switch {
		case x < qv:
			below += d.Counts[i]
		case x == qv:
			equal += d.Counts[i]
		}
		n += d.Counts[i]
	}
	if n == 0 {
		return math.NaN()
	}
	return 100 * (float64(below) + 0.5*float64(equal)) / float64(n)
}

// PeerStats are the statistics of one metric among the peers, and the subject's place.
type PeerStats struct {
	Mean       float64
	Median     float64
	P25        float64
	P75        float64
	Percentile float64
}

// Stats returns the peer statistics of d and the percentile rank of the subject's value v.
func (d Distribution) Stats(v float64) PeerStats {
	return PeerStats{Mean: d.Mean(), Median: d.Quantile(.5), P25: d.Quantile(.25), P75: d.Quantile(.75), Percentile: d.PercentileRank(v)}
}

// PeerPool is what a release publishes about one peer group: every metric, AS-IS and TO-BE,
// in Questionnaire.Metrics order (noise.go), and how many companies it counts.
type PeerPool struct {
	AsIs []PublishedMetric
	ToBe []PublishedMetric
	// Companies is how many companies the statistics were computed from.
	Companies int
	// Synthetic reports whether demo companies are part of the pool.
	Synthetic bool
	// Grid is the grid the statistics count values on.
	Grid Grid
}

// PublishPool computes what a release publishes about the peer group of entries, drawing its
// noise from src, metric after metric, AS-IS before TO-BE (Publish).
func (q *Questionnaire) PublishPool(entries []PoolEntry, src NoiseSource) PeerPool {
	n := len(q.Metrics())
	p := PeerPool{AsIs: make([]PublishedMetric, n), ToBe: make([]PublishedMetric, n), Companies: len(entries), Grid: q.Grid()}
	values := make([]int64, len(entries))
	for m := range n {
		for side, out := range [][]PublishedMetric{p.AsIs, p.ToBe} {
			for i, e := range entries {
				if side == 0 {
					values[i] = e.AsIs[m]
				} else {
					values[i] = e.ToBe[m]
				}
			}
			out[m] = q.Publish(values, src)
		}
	}
	for _, e := range entries {
		p.Synthetic = p.Synthetic || e.Synthetic
	}
	return p
}

// Without returns the pool with one company's entry taken out, so that a company is never
// compared with itself. The receiver is not modified.
func (p PeerPool) Without(e PoolEntry) PeerPool {
	out := PeerPool{AsIs: make([]PublishedMetric, len(p.AsIs)), ToBe: make([]PublishedMetric, len(p.ToBe)),
		Companies: p.Companies - 1, Synthetic: p.Synthetic, Grid: p.Grid}
	for i := range p.AsIs {
		out.AsIs[i], out.ToBe[i] = p.AsIs[i], p.ToBe[i]
		if i < len(e.AsIs) {
			out.AsIs[i] = p.AsIs[i].without(p.Grid, e.AsIs[i])
			out.ToBe[i] = p.ToBe[i].without(p.Grid, e.ToBe[i])
		}
	}
	return out
}

func (d Distribution) clone() Distribution {
	return Distribution{Values: append([]int64(nil), d.Values...), Counts: append([]int(nil), d.Counts...)}
}

// Peers returns the number of companies in the pool.
func (p PeerPool) Peers() int { return p.Companies }

// Standing of a category against its peers.
const (
	StandingAhead  = "ahead"
	StandingInLine = "in_line"
	StandingBehind = "behind"
)

// MetricBenchmark compares one metric of the subject with its peers.
type MetricBenchmark struct {
	Metric
	SubjectAsIs float64
	SubjectToBe float64
	AsIs        PeerStats
	ToBe        PeerStats
	// Standing is ahead (AS-IS above the peers' P75), behind (below P25) or in line.
	Standing string
}

// Benchmark is a company compared with one peer group.
type Benchmark struct {
	Group      string
	GroupValue string
	// Available is false when the group has fewer than MinPeers companies; then nothing
	// else is set.
	Available    bool
	Peers        int
	Synthetic    bool
	Overall      MetricBenchmark
	Themes       []MetricBenchmark
	Categories   []MetricBenchmark
	Competencies []MetricBenchmark
	Summary      BenchmarkSummary
}

// BenchmarkSummary holds the facts the generated sentences are made of.
type BenchmarkSummary struct {
	// BelowMedian counts competencies whose AS-IS is below the peer median.
	BelowMedian int
	// Strengths are up to 3 competencies at or above the peers' P75 AS-IS, highest
	// percentile first.
	Strengths []int
	// Shortfalls are up to 3 competencies furthest below the peer median AS-IS.
	Shortfalls []int
	// AimHigher are up to 3 competencies where the peer median TO-BE is furthest above the
	// company's TO-BE.
	AimHigher []int
}

// SummaryLimit is how many competencies each summary list names at most.
const SummaryLimit = 3

// Compare benchmarks a scored result against a peer pool that already excludes the subject.
func (q *Questionnaire) Compare(res *Result, group, value string, pool PeerPool) Benchmark {
	b := Benchmark{Group: group, GroupValue: value, Peers: pool.Peers()}
	if b.Peers < MinPeers {
		b.Peers = 0
		return b
	}
	b.Available, b.Synthetic = true, pool.Synthetic
	asIs, toBe := res.MetricValues()
	metrics := q.Metrics()
	all := make([]MetricBenchmark, len(metrics))
	for i, m := range metrics {
		// The subject is compared on the grid the peers are counted on.
		qa, qb := pool.Grid.Snap(Quantize(asIs[i])), pool.Grid.Snap(Quantize(toBe[i]))
		mb := MetricBenchmark{Metric: m, SubjectAsIs: asIs[i], SubjectToBe: toBe[i],
			AsIs: pool.AsIs[i].Stats(pool.Grid, b.Peers, qa), ToBe: pool.ToBe[i].Stats(pool.Grid, b.Peers, qb)}
		switch {
		case qa > Quantize(mb.AsIs.P75):
			mb.Standing = StandingAhead
		case qa < Quantize(mb.AsIs.P25):
			mb.Standing = StandingBehind
		default:
			mb.Standing = StandingInLine
		}
		all[i] = mb
	}
	nt, nc := len(q.Themes), len(q.Categories)
	b.Overall = all[0]
	b.Themes = all[1 : 1+nt]
	b.Categories = all[1+nt : 1+nt+nc]
	b.Competencies = all[1+nt+nc:]
	b.Summary = summarize(pool.Grid, b.Competencies)
	return b
}

func summarize(g Grid, cs []MetricBenchmark) BenchmarkSummary {
	var s BenchmarkSummary
	type scored struct {
		n int
		v float64
	}
	var strengths, shortfalls, aim []scored
	for _, c := range cs {
		a, med := g.Snap(Quantize(c.SubjectAsIs)), Quantize(c.AsIs.Median)
		if a < med {
			s.BelowMedian++
			shortfalls = append(shortfalls, scored{c.Number, c.AsIs.Median - c.SubjectAsIs})
		}
		if a >= Quantize(c.AsIs.P75) && a > med {
			strengths = append(strengths, scored{c.Number, c.AsIs.Percentile})
		}
		if d := c.ToBe.Median - float64(g.Snap(Quantize(c.SubjectToBe)))/quantaPerPoint; Quantize(d) > 0 {
			aim = append(aim, scored{c.Number, d})
		}
	}
	top := func(xs []scored) []int {
		sort.SliceStable(xs, func(i, j int) bool {
			if xs[i].v != xs[j].v {
				return xs[i].v > xs[j].v
			}
			return xs[i].n < xs[j].n
		})
		var out []int
		for _, x := range xs[:min(SummaryLimit, len(xs))] {
			out = append(out, x.n)
		}
		return out
	}
	s.Strengths, s.Shortfalls, s.AimHigher = top(strengths), top(shortfalls), top(aim)
	return s
}

// Levels of a competency across a pool, by the AS-IS index of the pool's median: the words
// the source deck uses for its benchmark of 50+ companies.
const (
	LevelMissing  = "missing"  // median AS-IS index below LevelMediocreFrom
	LevelMediocre = "mediocre" // from LevelMediocreFrom to below LevelInPlaceFrom
	LevelInPlace  = "in_place" // LevelInPlaceFrom and above
)

// Thresholds on the 0-100 index for the levels. A median of 2 on a 1-5 scale (index 25) is
// largely missing; 4 (index 75) is in place.
const (
	LevelMediocreFrom = 30.0
	LevelInPlaceFrom  = 65.0
)

// PoolSummary describes a whole peer group, without any subject company, in the deck's terms:
// "mediocre on 17 of 21 parameters; leadership and strategic anchoring are in place; financial
// estimates and effect measurements are missing".
type PoolSummary struct {
	Companies int
	// Available is false below MinPeers companies; then nothing else is set.
	Available bool
	Synthetic bool
	// Levels holds each competency's level, in number order.
	Levels []string
	// Counts counts competencies per level.
	Counts map[string]int
	// InPlace and Missing list competency numbers, strongest (resp. weakest) median first.
	InPlace []int
	Missing []int
	// Medians and quartiles of AS-IS and TO-BE for every metric, in Metrics order.
	AsIs []PeerStats
	ToBe []PeerStats
}

// DescribePool summarises a peer group as a release publishes it. Stats' Percentile fields
// are not meaningful here (no subject) and are left at zero.
func (q *Questionnaire) DescribePool(pool PeerPool) PoolSummary {
	s := PoolSummary{Companies: pool.Peers()}
	if s.Companies < MinPeers {
		s.Companies = 0
		return s
	}
	s.Available, s.Synthetic = true, pool.Synthetic
	stats := func(m PublishedMetric) PeerStats {
		st := m.Stats(pool.Grid, s.Companies, 0)
		st.Percentile = 0
		return st
	}
	for i := range pool.AsIs {
		s.AsIs = append(s.AsIs, stats(pool.AsIs[i]))
		s.ToBe = append(s.ToBe, stats(pool.ToBe[i]))
	}
	s.Counts = map[string]int{LevelMissing: 0, LevelMediocre: 0, LevelInPlace: 0}
	first := 1 + len(q.Themes) + len(q.Categories)
	type ranked struct {
		n      int
		median float64
	}
	var inPlace, missing []ranked
	for i, c := range q.Competencies {
		med := s.AsIs[first+i].Median
		level := LevelMediocre
		switch idx := q.Scale.Index(med); {
		case idx < LevelMediocreFrom:
			level = LevelMissing
			missing = append(missing, ranked{c.Number, med})
		case idx >= LevelInPlaceFrom:
			level = LevelInPlace
			inPlace = append(inPlace, ranked{c.Number, med})
		}
		s.Levels = append(s.Levels, level)
		s.Counts[level]++
	}
	sort.SliceStable(inPlace, func(i, j int) bool { return inPlace[i].median > inPlace[j].median })
	sort.SliceStable(missing, func(i, j int) bool { return missing[i].median < missing[j].median })
	for _, r := range inPlace {
		s.InPlace = append(s.InPlace, r.n)
	}
	for _, r := range missing {
		s.Missing = append(s.Missing, r.n)
	}
	return s
}
