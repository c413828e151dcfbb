package assessment

import "sort"

// Score is an AS-IS and TO-BE score with its gap (TO-BE − AS-IS). A negative gap means the
// present is ahead of the stated ambition.
type Score struct {
	AsIs float64
	ToBe float64
	Gap  float64
}

func newScore(asIs, toBe float64) Score { return Score{AsIs: asIs, ToBe: toBe, Gap: toBe - asIs} }

// meanScore is the mean of n ratings from their sums. The gap is taken from the sums too, so
// that a gap of exactly 2 is 2 and not 1.9999999999999996 (4.333… − 2.333…).
func meanScore(sum Rating, n float64) Score {
	return Score{AsIs: sum.AsIs / n, ToBe: sum.ToBe / n, Gap: (sum.ToBe - sum.AsIs) / n}
}

// GroupScore is the score of a theme or category: the mean of its competencies.
type GroupScore struct {
	Key string
	Score
}

// CompetencyScore is the score of one competency with its priority rank (1 = act first).
type CompetencyScore struct {
	Number   int
	Key      string
	Category string
	Score
	Priority int
}

// Result is the scored assessment.
type Result struct {
	// Overall is the mean over all 21 competencies.
	Overall Score
	// AsIsIndex and ToBeIndex map the overall means to 0-100 on the scale.
	AsIsIndex float64
	ToBeIndex float64
	// Themes and Categories are in questionnaire order; Competencies in number order.
	Themes       []GroupScore
	Categories   []GroupScore
	Competencies []CompetencyScore
	// Priorities lists competency numbers by gap descending, then AS-IS ascending, then
	// number ascending: the largest gap from the weakest base comes first.
	Priorities []int
	// Strengths lists the 3 competencies with the highest AS-IS, ties by number.
	Strengths []int
	// Stage is the maturity stage of AsIsIndex.
	Stage Stage
}

// StrengthCount is how many strengths a result names.
const StrengthCount = 3

// Score computes a Result from ratings in number order (one per competency). It trusts its
// input: ratings come from ValidateAnswers or from stored, validated answers.
func (q *Questionnaire) Score(r Ratings) Result {
	res := Result{
		Competencies: make([]CompetencyScore, len(q.Competencies)),
		Categories:   make([]GroupScore, len(q.Categories)),
		Themes:       make([]GroupScore, len(q.Themes)),
	}
	catSum := make([]Rating, len(q.Categories))
	catN := make([]int, len(q.Categories))
	themeSum := make([]Rating, len(q.Themes))
	themeN := make([]int, len(q.Themes))
	var total Rating
	for i, c := range q.Competencies {
		x := r[i]
		res.Competencies[i] = CompetencyScore{Number: c.Number, Key: c.Key, Category: c.Category, Score: newScore(x.AsIs, x.ToBe)}
		ci := q.compCat[i]
		catSum[ci].AsIs += x.AsIs
		catSum[ci].ToBe += x.ToBe
		catN[ci]++
		ti := q.themeIndex[q.Categories[ci].Theme]
		themeSum[ti].AsIs += x.AsIs
		themeSum[ti].ToBe += x.ToBe
		themeN[ti]++
		total.AsIs += x.AsIs
		total.ToBe += x.ToBe
	}
	for i, c := range q.Categories {
		n := float64(catN[i])
		res.Categories[i] = GroupScore{Key: c.Key, Score: meanScore(catSum[i], n)}
	}
	for i, t := range q.Themes {
		n := float64(themeN[i])
		res.Themes[i] = GroupScore{Key: t.Key, Score: meanScore(themeSum[i], n)}
	}
	n := float64(len(q.Competencies))
	res.Overall = meanScore(total, n)
	res.AsIsIndex = q.Scale.Index(res.Overall.AsIs)
	res.ToBeIndex = q.Scale.Index(res.Overall.ToBe)
	res.Stage = q.StageFor(res.AsIsIndex)

	order := make([]int, len(res.Competencies))
	for i := range order {
		order[i] = i
	}
	cs := res.Competencies
	sort.SliceStable(order, func(a, b int) bool {
		x, y := cs[order[a]], cs[order[b]]
		if x.Gap != y.Gap {
			return x.Gap > y.Gap
		}
		if x.AsIs != y.AsIs {
			return x.AsIs < y.AsIs
		}
		return x.Number < y.Number
	})
	res.Priorities = make([]int, len(order))
	for rank, i := range order {
		res.Competencies[i].Priority = rank + 1
		res.Priorities[rank] = cs[i].Number
	}

	sort.SliceStable(order, func(a, b int) bool {
		x, y := cs[order[a]], cs[order[b]]
		if x.AsIs != y.AsIs {
			return x.AsIs > y.AsIs
		}
		return x.Number < y.Number
	})
	for _, i := range order[:min(StrengthCount, len(order))] {
		res.Strengths = append(res.Strengths, cs[i].Number)
	}
	return res
}

// Competency returns the score of competency number.
func (r *Result) Competency(number int) CompetencyScore { return r.Competencies[number-1] }
