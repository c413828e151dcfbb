package assessment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// demoSegments weights the maturity segments 20 / 60 / 20, as the deck reports them, with a
// typical overall AS-IS for each.
var demoSegments = []struct {
	key    string
	weight int
	level  float64
}{{"<1", 20, 1.9}, {"1-5", 60, 2.7}, {"5+", 20, 3.5}}

// demoOffsets shifts competencies from the company's level the way the deck's benchmark
// reads: leadership and strategic anchoring are there (1, 2), financial estimates and effect
// measurement are missing (13, 19, 20).
var demoOffsets = map[int]float64{1: .5, 2: .8, 3: .2, 13: -.9, 19: -1, 20: -.8, 17: -.3, 10: -.2}

// demoCountries are the Nordic countries the product's users come from, most often Denmark.
var demoCountries = []string{"DK", "DK", "DK", "SE", "NO", "FI"}

// SyntheticCompanies returns n plausible, clearly synthetic companies for demonstrating the
// benchmark, spread over industries, size bands and maturity segments. The same seed always
// gives the same companies. Each is one respondent's whole-number answers, as a five-minute
// test would give.
func (q *Questionnaire) SyntheticCompanies(n int, seed uint64, at time.Time) []PoolEntry {
	rng := rand.New(rand.NewPCG(seed, 0x10ca17))
	totalWeight := 0
	for _, s := range demoSegments {
		totalWeight += s.weight
	}
	clampRound := func(v float64) float64 {
		return math.Max(float64(q.Scale.Min), math.Min(float64(q.Scale.Max), math.Round(v)))
	}
	out := make([]PoolEntry, 0, n)
	for i := range n {
		w := rng.IntN(totalWeight)
		seg := demoSegments[0]
		for _, s := range demoSegments {
			if w < s.weight {
				seg = s
				break
			}
			w -= s.weight
		}
		profile := Company{NPSYears: seg.key, Country: demoCountries[rng.IntN(len(demoCountries))]}
		if len(q.Industries) > 0 {
			profile.Industry = q.Industries[rng.IntN(len(q.Industries))].Key
		}
		if len(q.SizeBands) > 0 {
			profile.Size = q.SizeBands[rng.IntN(len(q.SizeBands))].Key
		}
		level := seg.level + rng.NormFloat64()*.45
		ambition := 1.2 + rng.Float64()*.8
		r := make(Ratings, len(q.Competencies))
		for j, c := range q.Competencies {
			asIs := clampRound(level + demoOffsets[c.Number] + rng.NormFloat64()*.6)
			toBe := clampRound(math.Max(asIs, asIs+ambition+rng.NormFloat64()*.5))
			r[j] = Rating{AsIs: asIs, ToBe: toBe}
		}
		e := q.NewPoolEntry(fmt.Sprintf("demo:%d:%d", seed, i), profile, r, at)
		e.Synthetic = true
		out = append(out, e)
	}
	return out
}
