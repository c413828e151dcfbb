package assessment

import (
	"math"
)

// Stat describes the participants' scores for one competency on one scale: mean, lowest,
// highest and the population standard deviation (the room is the whole population).
type Stat struct {
	Mean float64
	Min  float64
	Max  float64
	SD   float64
}

// Range is the spread between the highest and the lowest score.
func (s Stat) Range() float64 { return s.Max - s.Min }

func newStat(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{}
	}
	s := Stat{Min: xs[0], Max: xs[0]}
	var sum float64
	for _, x := range xs {
		sum += x
		s.Min = min(s.Min, x)
		s.Max = max(s.Max, x)
	}
	s.Mean = sum / float64(len(xs))
	var sq float64
	for _, x := range xs {
		sq += (x - s.Mean) * (x - s.Mean)
	}
	s.SD = math.Sqrt(sq / float64(len(xs)))
	return s
}

// CompetencyAggregate is the room's view of one competency.
type CompetencyAggregate struct {
	Number int
	AsIs   Stat
	ToBe   Stat
	// AsIsCounts and ToBeCounts count how many participants chose each point of the scale
	// (index 0 is the scale's minimum). They say how many, never who.
	AsIsCounts []int
	ToBeCounts []int
	// Gap is the mean TO-BE minus the mean AS-IS.
	Gap float64
	// DisagreeAsIs and DisagreeToBe flag a spread (max − min) of at least the
	// questionnaire's disagreement_range: the room does not agree on today, or on the ambition.
	DisagreeAsIs bool
	DisagreeToBe bool
}

// Aggregate is a round's company-level result: the mean of its participants, scored like a
// single respondent, plus the spread of every competency.
type Aggregate struct {
	Participants int
	// Competencies is in number order; empty when nobody has answered.
	Competencies []CompetencyAggregate
	// Mean holds the participants' mean rating of every competency: the company's ratings.
	Mean Ratings
	// Result scores Mean; meaningful only when Participants > 0.
	Result Result
}

// Aggregate computes the company-level result of a round from its participants' ratings
// (each complete, in number order).
func (q *Questionnaire) Aggregate(participants []Ratings) Aggregate {
	agg := Aggregate{Participants: len(participants)}
	if len(participants) == 0 {
		return agg
	}
	n := len(q.Competencies)
	agg.Competencies = make([]CompetencyAggregate, n)
	agg.Mean = make(Ratings, n)
	asIs := make([]float64, len(participants))
	toBe := make([]float64, len(participants))
	threshold := float64(q.DisagreementRange)
	for i := range n {
		for j, r := range participants {
			asIs[j], toBe[j] = r[i].AsIs, r[i].ToBe
		}
		a, b := newStat(asIs), newStat(toBe)
		agg.Competencies[i] = CompetencyAggregate{
			Number: i + 1, AsIs: a, ToBe: b, Gap: b.Mean - a.Mean,
			AsIsCounts: q.counts(asIs), ToBeCounts: q.counts(toBe),
			DisagreeAsIs: a.Range() >= threshold, DisagreeToBe: b.Range() >= threshold,
		}
		agg.Mean[i] = Rating{AsIs: a.Mean, ToBe: b.Mean}
	}
	agg.Result = q.Score(agg.Mean)
	return agg
}

// counts returns how many of xs are each point of the scale.
func (q *Questionnaire) counts(xs []float64) []int {
	out := make([]int, q.Scale.Max-q.Scale.Min+1)
	for _, x := range xs {
		if i := int(x) - q.Scale.Min; i >= 0 && i < len(out) && float64(int(x)) == x {
			out[i]++
		}
	}
	return out
}

// Disagreements returns the numbers of the competencies flagged for AS-IS and for TO-BE.
func (a *Aggregate) Disagreements() (asIs, toBe []int) {
	for _, c := range a.Competencies {
		if c.DisagreeAsIs {
			asIs = append(asIs, c.Number)
		}
		if c.DisagreeToBe {
			toBe = append(toBe, c.Number)
		}
	}
	return asIs, toBe
}
