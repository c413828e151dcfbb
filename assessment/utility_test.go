package assessment_test

import (
	"cmp"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

// What the noise costs (docs/privacy.md, "Utility"): published statistics against the exact
// ones, on the demo generator's companies. Run with -v to see the figures:
//
//	go test ./assessment -run 'TestUtility' -v

// groupsOf splits entries into their peer groups.
func groupsOf(entries []assessment.PoolEntry) map[assessment.PeerGroup][]assessment.PoolEntry {
	out := map[assessment.PeerGroup][]assessment.PoolEntry{}
	for _, e := range entries {
		for _, g := range assessment.GroupsOf(e.Profile) {
			out[g] = append(out[g], e)
		}
	}
	return out
}

// exact returns the exact distribution of one metric of entries.
func exact(entries []assessment.PoolEntry, side, metric int) assessment.Distribution {
	var d assessment.Distribution
	for _, e := range entries {
		v := e.AsIs[metric]
		if side == 1 {
			v = e.ToBe[metric]
		}
		d.Add(v, 1)
	}
	return d
}

// errorsOf are the absolute errors of one kind of published statistic.
type errorsOf []float64

func (e errorsOf) at(q float64) float64 {
	s := slices.Clone(e)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// compare publishes entries with noise from src and returns the absolute errors of the
// quartiles and medians, the means and the percentile ranks (of a subject at every company's
// own value) against the exact statistics, over every metric and both sides.
func compare(q *assessment.Questionnaire, entries []assessment.PoolEntry, src assessment.NoiseSource) (quantiles, means, percentiles errorsOf) {
	p := q.PublishPool(entries, src)
	n := len(entries)
	for side, ms := range [][]assessment.PublishedMetric{p.AsIs, p.ToBe} {
		for m, pm := range ms {
			d := exact(entries, side, m)
			subject := d.Values[len(d.Values)/2]
			got, want := pm.Stats(p.Grid, n, subject), d.Stats(float64(subject)/1e4)
			quantiles = append(quantiles, math.Abs(got.P25-want.P25), math.Abs(got.Median-want.Median), math.Abs(got.P75-want.P75))
			means = append(means, math.Abs(got.Mean-want.Mean))
			percentiles = append(percentiles, math.Abs(got.Percentile-want.Percentile))
		}
	}
	return quantiles, means, percentiles
}

// TestUtilityLargeGroups: in the 300-company demo pool (loyalty demo --companies 300
// --seed 1), every published median and quartile of every metric, AS-IS and TO-BE, of every
// peer group of 30 companies or more stays within 0.1 scale points of the exact value, for
// each of 20 noise seeds. (The pool's smaller groups are logged.)
func TestUtilityLargeGroups(t *testing.T) {
	t.Parallel() // seconds of arithmetic on its own questionnaire and seeds
	q := mustQuestionnaire(t)
	groups := groupsOf(q.SyntheticCompanies(300, 1, time.Time{}))
	worst, checked, large := 0.0, 0, 0
	for seed := range uint64(20) {
		src := assessment.NewSampler(rand.New(rand.NewPCG(seed, 7)))
		for _, g := range slices.SortedFunc(maps.Keys(groups), cmpGroup) {
			members := groups[g]
			quantiles, _, _ := compare(q, members, src)
			if len(members) < 30 {
				if seed == 0 {
					t.Logf("group %s:%s has %d companies: largest quantile error %.4f", g.Group, g.Value, len(members), quantiles.at(1))
				}
				continue
			}
			if seed == 0 {
				large++
			}
			for _, e := range quantiles {
				worst = max(worst, e)
				checked++
			}
		}
	}
	t.Logf("%d quartiles and medians of %d groups of 30 or more, 20 seeds: largest error %.4f points", checked, large, worst)
	if worst > 0.1 {
		t.Errorf("a published median or quartile is %.4f points from the exact value, want at most 0.1", worst)
	}
}

// cmpGroup orders groups so that noise is drawn in the same order in every run.
func cmpGroup(a, b assessment.PeerGroup) int {
	return cmp.Or(cmp.Compare(slices.Index(assessment.Groups, a.Group), slices.Index(assessment.Groups, b.Group)), cmp.Compare(a.Value, b.Value))
}

// TestUtilitySmallGroups measures the cost for groups of 5 to 30 companies: 200 groups of
// each size drawn from the demo pool. The figures are what docs/privacy.md reports; the test
// checks only that the noise shrinks as groups grow, and that at 30 the bound above holds.
func TestUtilitySmallGroups(t *testing.T) {
	t.Parallel() // seconds of arithmetic on its own questionnaire and seeds
	q := mustQuestionnaire(t)
	pool := q.SyntheticCompanies(300, 1, time.Time{})
	rng := rand.New(rand.NewPCG(3, 3))
	noise := assessment.NewSampler(rng)
	t.Log("companies | median, quartiles: p50 p90 p99 max | mean: p50 p90 | percentile rank: p50 p90")
	lastP99 := math.Inf(1)
	for _, n := range []int{5, 7, 10, 15, 20, 30} {
		var quantiles, means, percentiles errorsOf
		for range 200 {
			var members []assessment.PoolEntry
			for _, i := range rng.Perm(len(pool))[:n] {
				members = append(members, pool[i])
			}
			a, b, c := compare(q, members, noise)
			quantiles, means, percentiles = append(quantiles, a...), append(means, b...), append(percentiles, c...)
		}
		t.Logf("%9d | %.3f %.3f %.3f %.3f | %.3f %.3f | %.1f %.1f", n,
			quantiles.at(.5), quantiles.at(.9), quantiles.at(.99), quantiles.at(1), means.at(.5), means.at(.9), percentiles.at(.5), percentiles.at(.9))
		if p99 := quantiles.at(.99); p99 > lastP99+1e-9 {
			t.Errorf("%d companies: the 99th percentile of quantile errors %.3f is above that of a smaller group (%.3f)", n, p99, lastP99)
		} else {
			lastP99 = p99
		}
		if n == 30 && quantiles.at(1) > 0.1 {
			t.Errorf("30 companies: largest quantile error %.3f, want at most 0.1", quantiles.at(1))
		}
	}
}

// TestQuartileAttack measures what the published medians and quartiles give away to an
// attacker who knows every other company of a group, by group size (docs/privacy.md): 100
// groups of each size drawn from the demo pool, each with a distinctive victim (answers
// 1-5 and 3-5 in turn, so that guessing gets about a fifth). For each of the victim's 42
// answers the attacker tries the five possible values and keeps the one whose exact
// quartiles, with the others, come nearest to the published ones (ties: the value most
// common among the others; guessing is that tie-break alone). Below QuartilesExactFrom the
// attack must get at most 14 of 42 on average; from there on the quartiles are kept within
// 0.1 of the truth, and what the attack then gets is the trade-off docs/privacy.md states.
//
//	go test ./assessment -run TestQuartileAttack -v
func TestQuartileAttack(t *testing.T) {
	t.Parallel() // seconds of arithmetic on its own questionnaire and seeds
	q := mustQuestionnaire(t)
	pool := q.SyntheticCompanies(300, 1, time.Time{})
	first := 1 + len(q.Themes) + len(q.Categories)
	quartiles := func(d assessment.Distribution) [3]float64 {
		return [3]float64{d.Quantile(.25), d.Quantile(.5), d.Quantile(.75)}
	}
	t.Log("companies | attack: exact quartiles, published | guessing")
	for _, n := range []int{5, 10, 15, 20, 25, 29, 30, 40, 50} {
		rng := rand.New(rand.NewPCG(uint64(n), 16))
		noise := assessment.NewSampler(rng)
		var hits, exactHits, guesses int
		const groups = 100
		for range groups {
			others := rng.Perm(len(pool))[:n-1]
			for m := range 42 {
				side, c := m/21, m%21
				victim := int64(1+c%5) * 1e4
				if side == 1 {
					victim = int64(5-c%3) * 1e4
				}
				var known assessment.Distribution
				values := []int64{victim}
				for _, i := range others {
					v := [][]int64{pool[i].AsIs, pool[i].ToBe}[side][first+c]
					known.Add(v, 1)
					values = append(values, v)
				}
				published := q.Publish(values, noise)
				pub := quartiles(published.Hist)
				exact := quartiles(exact1(values))
				guess := func(target [3]float64) int64 {
					best, bestD, bestN := int64(0), math.Inf(1), -1
					for v := int64(1e4); v <= 5e4; v += 1e4 {
						d := assessment.Distribution{Values: slices.Clone(known.Values), Counts: slices.Clone(known.Counts)}
						d.Add(v, 1)
						got := quartiles(d)
						dist := math.Abs(got[0]-target[0]) + math.Abs(got[1]-target[1]) + math.Abs(got[2]-target[2])
						if nv := countOf(known, v); dist < bestD-1e-9 || (dist < bestD+1e-9 && nv > bestN) {
							best, bestD, bestN = v, dist, nv
						}
					}
					return best
				}
				if guess(pub) == victim {
					hits++
				}
				if guess(exact) == victim {
					exactHits++
				}
				common, commonN := int64(0), -1
				for v := int64(1e4); v <= 5e4; v += 1e4 {
					if countOf(known, v) > commonN {
						common, commonN = v, countOf(known, v)
					}
				}
				if common == victim {
					guesses++
				}
			}
		}
		per := func(k int) float64 { return float64(k) / groups }
		t.Logf("%9d | %.1f %.1f | %.1f", n, per(exactHits), per(hits), per(guesses))
		if n < assessment.QuartilesExactFrom && per(hits) > 14 {
			t.Errorf("%d companies: the attack gets %.1f of 42 answers, want at most 14", n, per(hits))
		}
	}
}

// exact1 is the exact distribution of values.
func exact1(values []int64) assessment.Distribution {
	var d assessment.Distribution
	for _, v := range values {
		d.Add(v, 1)
	}
	return d
}

// countOf returns how many companies of d have value v.
func countOf(d assessment.Distribution, v int64) int {
	if i := slices.Index(d.Values, v); i >= 0 {
		return d.Counts[i]
	}
	return 0
}
