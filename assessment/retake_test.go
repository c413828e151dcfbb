package assessment_test

import (
	"slices"
	"testing"
	"time"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestCompareRetake(t *testing.T) {
	q := mustQuestionnaire(t)
	taken := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	earlier := &assessment.Assessment{CreatedAt: taken, Ratings: wsRatings(2, 4, nil)}
	tests := []struct {
		name               string
		after              assessment.Ratings
		asIsIndex, toBeIdx float64
		overallAsIs        float64
		leadershipAsIs     float64
		improved, slipped  []int
	}{
		{
			// Nothing moved: every delta 0, nothing improved or slipped.
			name: "same answers", after: wsRatings(2, 4, nil),
		},
		{
			// Every AS-IS 2 → 3: mean +1, index (3−1)/4·100 − (2−1)/4·100 = +25; TO-BE
			// unchanged. All 21 improved by the same step, so by number.
			name: "one step up everywhere", after: wsRatings(3, 4, nil),
			asIsIndex: 25, overallAsIs: 1, leadershipAsIs: 1,
			improved: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21},
		},
		{
			// Competency 1 AS-IS 2 → 5 (+3), 2 → 4 (+2), 13 → 1 (−1) and TO-BE 4 → 5 (+1):
			// overall AS-IS +(3+2−1)/21 = 4/21, index +4/21/4·100 = 100/21; TO-BE +1/21,
			// index +25/21. Leadership (1-3) AS-IS (5+4+2)/3 − 2 = +5/3.
			name: "some up, one down",
			after: wsRatings(2, 4, map[int]assessment.Rating{
				1: {AsIs: 5, ToBe: 4}, 2: {AsIs: 4, ToBe: 4}, 13: {AsIs: 1, ToBe: 5},
			}),
			asIsIndex: 100.0 / 21, toBeIdx: 25.0 / 21, overallAsIs: 4.0 / 21, leadershipAsIs: 5.0 / 3,
			improved: []int{1, 2}, slipped: []int{13},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := q.CompareRetake(earlier, q.Score(tt.after))
			if !r.Taken.Equal(taken) {
				t.Errorf("Taken = %v, want %v", r.Taken, taken)
			}
			if !near(r.AsIsIndex, tt.asIsIndex) || !near(r.ToBeIndex, tt.toBeIdx) {
				t.Errorf("index deltas = %g, %g, want %g, %g", r.AsIsIndex, r.ToBeIndex, tt.asIsIndex, tt.toBeIdx)
			}
			if !near(r.Overall.AsIs, tt.overallAsIs) || !near(r.Overall.Before.AsIs, 2) {
				t.Errorf("overall = %+v, want AS-IS delta %g from 2", r.Overall, tt.overallAsIs)
			}
			if d := r.Categories[0]; d.Key != "leadership" || !near(d.AsIs, tt.leadershipAsIs) {
				t.Errorf("leadership = %+v, want AS-IS delta %g", d, tt.leadershipAsIs)
			}
			if !near(r.Before.AsIsIndex, 25) {
				t.Errorf("Before.AsIsIndex = %g, want 25 (every AS-IS 2)", r.Before.AsIsIndex)
			}
			if !slices.Equal(r.Improved, tt.improved) || !slices.Equal(r.Slipped, tt.slipped) {
				t.Errorf("improved %v slipped %v, want %v %v", r.Improved, r.Slipped, tt.improved, tt.slipped)
			}
		})
	}
}

func TestRetakeForm(t *testing.T) {
	a := &assessment.Assessment{Lang: "da", Role: "CFO", BenchmarkConsent: true, Ratings: wsRatings(2, 4, nil),
		Company: assessment.Company{Name: "Nordlys A/S", Industry: "retail", Size: "250-999", Country: "DK", NPSYears: "1-5"}}
	got := a.RetakeForm()
	want := assessment.Submission{Company: a.Company}
	if got.Lang != "" || got.Company != want.Company || got.Role != "" || got.BenchmarkConsent || len(got.Answers) != 0 {
		t.Errorf("RetakeForm() = %+v, want the profile only: %+v", got, want)
	}
}
