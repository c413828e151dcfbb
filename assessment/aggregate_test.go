package assessment_test

import (
	"math"
	"slices"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestAggregateCounts(t *testing.T) {
	q := mustQuestionnaire(t)
	agg := q.Aggregate([]assessment.Ratings{
		wsRatings(2, 4, map[int]assessment.Rating{5: {AsIs: 1, ToBe: 5}}),
		wsRatings(2, 4, map[int]assessment.Rating{5: {AsIs: 1, ToBe: 4}}),
		wsRatings(2, 4, map[int]assessment.Rating{5: {AsIs: 4, ToBe: 5}}),
	})
	c := agg.Competencies[4]
	if !slices.Equal(c.AsIsCounts, []int{2, 0, 0, 1, 0}) || !slices.Equal(c.ToBeCounts, []int{0, 0, 0, 1, 2}) {
		t.Errorf("competency 5 counts = %v / %v, want [2 0 0 1 0] / [0 0 0 1 2]", c.AsIsCounts, c.ToBeCounts)
	}
}

// wsRatings returns ratings of asIs/toBe everywhere, with the given overrides by number.
func wsRatings(asIs, toBe float64, over map[int]assessment.Rating) assessment.Ratings {
	r := make(assessment.Ratings, 21)
	for i := range r {
		r[i] = assessment.Rating{AsIs: asIs, ToBe: toBe}
		if o, ok := over[i+1]; ok {
			r[i] = o
		}
	}
	return r
}

func TestAggregateHandWorked(t *testing.T) {
	q := mustQuestionnaire(t)
	// Competency 1: AS-IS 1, 3, 2 and TO-BE 4, 4, 5; competency 2: AS-IS 3, 3, 3 and TO-BE
	// 2, 5, 3; every other competency 2 → 4 for everyone.
	p := []assessment.Ratings{
		wsRatings(2, 4, map[int]assessment.Rating{1: {AsIs: 1, ToBe: 4}, 2: {AsIs: 3, ToBe: 2}}),
		wsRatings(2, 4, map[int]assessment.Rating{1: {AsIs: 3, ToBe: 4}, 2: {AsIs: 3, ToBe: 5}}),
		wsRatings(2, 4, map[int]assessment.Rating{1: {AsIs: 2, ToBe: 5}, 2: {AsIs: 3, ToBe: 3}}),
	}
	agg := q.Aggregate(p)
	if agg.Participants != 3 {
		t.Fatalf("Participants = %d, want 3", agg.Participants)
	}
	tests := []struct {
		n                int
		asIs, toBe       assessment.Stat
		gap              float64
		disAsIs, disToBe bool
	}{
		// c1 AS-IS: mean 2, deviations −1 1 0 → variance 2/3. TO-BE: mean 13/3,
		// deviations −1/3 −1/3 2/3 → variance (1+1+4)/9/3 = 2/9. Range 2 ≥ 2 only for AS-IS.
		{1, assessment.Stat{Mean: 2, Min: 1, Max: 3, SD: math.Sqrt(2.0 / 3)}, assessment.Stat{Mean: 13.0 / 3, Min: 4, Max: 5, SD: math.Sqrt(2.0 / 9)}, 13.0/3 - 2, true, false},
		// c2 AS-IS all 3: sd 0. TO-BE mean 10/3, deviations −4/3 5/3 −1/3 → (16+25+1)/9/3 = 14/9.
		{2, assessment.Stat{Mean: 3, Min: 3, Max: 3}, assessment.Stat{Mean: 10.0 / 3, Min: 2, Max: 5, SD: math.Sqrt(14.0) / 3}, 1.0 / 3, false, true},
		{3, assessment.Stat{Mean: 2, Min: 2, Max: 2}, assessment.Stat{Mean: 4, Min: 4, Max: 4}, 2, false, false},
	}
	for _, tt := range tests {
		got := agg.Competencies[tt.n-1]
		if got.Number != tt.n || !statNear(got.AsIs, tt.asIs) || !statNear(got.ToBe, tt.toBe) || !near(got.Gap, tt.gap) ||
			got.DisagreeAsIs != tt.disAsIs || got.DisagreeToBe != tt.disToBe {
			t.Errorf("competency %d = %+v, want as_is %+v to_be %+v gap %g disagree %v/%v", tt.n, got, tt.asIs, tt.toBe, tt.gap, tt.disAsIs, tt.disToBe)
		}
	}
	asIs, toBe := agg.Disagreements()
	if !slices.Equal(asIs, []int{1}) || !slices.Equal(toBe, []int{2}) {
		t.Errorf("Disagreements() = %v, %v, want [1], [2]", asIs, toBe)
	}
	// Category L (1-3): AS-IS (2+3+2)/3 = 7/3; TO-BE (13/3 + 10/3 + 4)/3 = 35/9.
	if c := agg.Result.Categories[0]; c.Key != "leadership" || !near(c.AsIs, 7.0/3) || !near(c.ToBe, 35.0/9) {
		t.Errorf("Categories[0] = %+v, want leadership 7/3 35/9", c)
	}
	// Overall AS-IS (2 + 3 + 19·2)/21 = 43/21; TO-BE (13/3 + 10/3 + 19·4)/21 = 251/63.
	if o := agg.Result.Overall; !near(o.AsIs, 43.0/21) || !near(o.ToBe, 251.0/63) {
		t.Errorf("Overall = %+v, want 43/21 251/63", o)
	}
	if !near(agg.Mean[0].ToBe, 13.0/3) {
		t.Errorf("Mean[0] = %+v, want TO-BE 13/3", agg.Mean[0])
	}
}

func TestAggregateEdges(t *testing.T) {
	q := mustQuestionnaire(t)
	if agg := q.Aggregate(nil); agg.Participants != 0 || len(agg.Competencies) != 0 {
		t.Errorf("Aggregate(nil) = %+v, want empty", agg)
	}
	// One participant: no spread, so no disagreement even with extreme scores.
	agg := q.Aggregate([]assessment.Ratings{wsRatings(1, 5, nil)})
	if c := agg.Competencies[4]; c.AsIs.SD != 0 || c.DisagreeAsIs || c.DisagreeToBe || c.Gap != 4 {
		t.Errorf("single participant competency 5 = %+v", c)
	}
	// Range exactly one below the threshold is not flagged; at the threshold it is.
	agg = q.Aggregate([]assessment.Ratings{wsRatings(2, 4, nil), wsRatings(3, 5, map[int]assessment.Rating{7: {AsIs: 4, ToBe: 5}})})
	if agg.Competencies[0].DisagreeAsIs || !agg.Competencies[6].DisagreeAsIs || agg.Competencies[6].DisagreeToBe {
		t.Errorf("threshold: c1 %+v, c7 %+v", agg.Competencies[0], agg.Competencies[6])
	}
}

func statNear(a, b assessment.Stat) bool {
	return near(a.Mean, b.Mean) && near(a.Min, b.Min) && near(a.Max, b.Max) && near(a.SD, b.SD)
}
