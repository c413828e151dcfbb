package assessment_test

import (
	"math"
	"slices"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

// ratingsOf builds Ratings from two 21-long lists of whole-number scores.
func ratingsOf(asIs, toBe [21]float64) assessment.Ratings {
	r := make(assessment.Ratings, 21)
	for i := range r {
		r[i] = assessment.Rating{AsIs: asIs[i], ToBe: toBe[i]}
	}
	return r
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScoreUniform(t *testing.T) {
	q := mustQuestionnaire(t)
	var asIs, toBe [21]float64
	for i := range asIs {
		asIs[i], toBe[i] = 2, 4
	}
	res := q.Score(ratingsOf(asIs, toBe))
	// Every competency 2 → 4: means 2 and 4, index (2-1)/4*100 = 25 and (4-1)/4*100 = 75.
	if !near(res.Overall.AsIs, 2) || !near(res.Overall.ToBe, 4) || !near(res.Overall.Gap, 2) {
		t.Errorf("Overall = %+v, want 2, 4, gap 2", res.Overall)
	}
	if !near(res.AsIsIndex, 25) || !near(res.ToBeIndex, 75) {
		t.Errorf("indexes = %g, %g, want 25, 75", res.AsIsIndex, res.ToBeIndex)
	}
	if res.Stage.Key != "starting" {
		t.Errorf("Stage = %q, want starting (index 25 < 40)", res.Stage.Key)
	}
	// All gaps and AS-IS equal: priority falls back to number order.
	want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}
	if !slices.Equal(res.Priorities, want) {
		t.Errorf("Priorities = %v, want %v", res.Priorities, want)
	}
	if !slices.Equal(res.Strengths, []int{1, 2, 3}) {
		t.Errorf("Strengths = %v, want [1 2 3]", res.Strengths)
	}
}

func TestScoreWorkedExample(t *testing.T) {
	q := mustQuestionnaire(t)
	// Worked by hand; per category (L O Y A L T Y):
	//   AS-IS  3 4 2 | 2 2 2 | 1 2 3 | 1 1 1 | 1 3 2 | 3 3 3 | 1 2 3   sums 9 6 6 3 6 9 6 = 45
	//   TO-BE  5 5 4 | 4 4 4 | 4 4 5 | 4 4 4 | 5 5 4 | 3 4 4 | 5 4 3   sums 14 12 13 12 14 11 12 = 88
	//   gap    2 1 2 | 2 2 2 | 3 2 2 | 3 3 3 | 4 2 2 | 0 1 1 | 4 2 0
	asIs := [21]float64{3, 4, 2, 2, 2, 2, 1, 2, 3, 1, 1, 1, 1, 3, 2, 3, 3, 3, 1, 2, 3}
	toBe := [21]float64{5, 5, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 5, 5, 4, 3, 4, 4, 5, 4, 3}
	res := q.Score(ratingsOf(asIs, toBe))

	if !near(res.Overall.AsIs, 45.0/21) || !near(res.Overall.ToBe, 88.0/21) || !near(res.Overall.Gap, 43.0/21) {
		t.Errorf("Overall = %+v, want 45/21, 88/21, gap 43/21", res.Overall)
	}
	// (45/21 - 1) / 4 * 100 = 24/21/4*100 = 28.571428…
	if !near(res.AsIsIndex, 600.0/21) {
		t.Errorf("AsIsIndex = %g, want %g", res.AsIsIndex, 600.0/21)
	}
	wantCat := []struct {
		key        string
		asIs, toBe float64
	}{
		{"leadership", 3, 14.0 / 3}, {"mobilization", 2, 4}, {"yearly-plan", 2, 13.0 / 3},
		{"assessment", 1, 4}, {"strategy", 2, 14.0 / 3}, {"tactics", 3, 11.0 / 3}, {"results", 2, 4},
	}
	for i, w := range wantCat {
		got := res.Categories[i]
		if got.Key != w.key || !near(got.AsIs, w.asIs) || !near(got.ToBe, w.toBe) || !near(got.Gap, w.toBe-w.asIs) {
			t.Errorf("Categories[%d] = %+v, want %s %g %g", i, got, w.key, w.asIs, w.toBe)
		}
	}
	wantTheme := []struct {
		key        string
		asIs, toBe float64
	}{
		{"culture", 21.0 / 9, 39.0 / 9}, {"measurements", 1, 4}, {"strategy", 21.0 / 9, 37.0 / 9},
	}
	// Culture's gap is (39 − 21) / 9 = 2 exactly, not the difference of two rounded means.
	if got := res.Themes[0].Gap; got != 2 {
		t.Errorf("culture gap = %v, want exactly 2", got)
	}
	for i, w := range wantTheme {
		got := res.Themes[i]
		if got.Key != w.key || !near(got.AsIs, w.asIs) || !near(got.ToBe, w.toBe) {
			t.Errorf("Themes[%d] = %+v, want %s %g %g", i, got, w.key, w.asIs, w.toBe)
		}
	}
	// gap 4: 13, 19 (both AS-IS 1 → by number); gap 3: 7 10 11 12 (all AS-IS 1);
	// gap 2: AS-IS 2 → 3 4 5 6 8 15 20, AS-IS 3 → 1 9 14; gap 1: 17 18 (AS-IS 3), 2 (AS-IS 4);
	// gap 0: 16 21.
	wantPrio := []int{13, 19, 7, 10, 11, 12, 3, 4, 5, 6, 8, 15, 20, 1, 9, 14, 17, 18, 2, 16, 21}
	if !slices.Equal(res.Priorities, wantPrio) {
		t.Errorf("Priorities = %v, want %v", res.Priorities, wantPrio)
	}
	if got := res.Competency(13).Priority; got != 1 {
		t.Errorf("Competency(13).Priority = %d, want 1", got)
	}
	if got := res.Competency(2).Priority; got != 19 {
		t.Errorf("Competency(2).Priority = %d, want 19", got)
	}
	// Highest AS-IS: 2 (4), then the 3s by number: 1, 9.
	if !slices.Equal(res.Strengths, []int{2, 1, 9}) {
		t.Errorf("Strengths = %v, want [2 1 9]", res.Strengths)
	}
}

func TestScoreNegativeGapAndStages(t *testing.T) {
	q := mustQuestionnaire(t)
	tests := []struct {
		name      string
		asIs      float64
		toBe      float64
		wantGap   float64
		wantStage string
		wantIndex float64
	}{
		{"ahead of ambition", 4, 2, -2, "accelerating", 75},
		{"top of scale", 5, 5, 0, "elite", 100},
		{"middle", 3, 5, 2, "developing", 50},
		{"bottom", 1, 5, 4, "starting", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a, b [21]float64
			for i := range a {
				a[i], b[i] = tt.asIs, tt.toBe
			}
			res := q.Score(ratingsOf(a, b))
			if !near(res.Competency(5).Gap, tt.wantGap) || !near(res.Overall.Gap, tt.wantGap) {
				t.Errorf("gap = %g (overall %g), want %g", res.Competency(5).Gap, res.Overall.Gap, tt.wantGap)
			}
			if res.Stage.Key != tt.wantStage || !near(res.AsIsIndex, tt.wantIndex) {
				t.Errorf("stage = %q at %g, want %q at %g", res.Stage.Key, res.AsIsIndex, tt.wantStage, tt.wantIndex)
			}
		})
	}
}

func BenchmarkScore(b *testing.B) {
	q := mustQuestionnaire(b)
	asIs := [21]float64{3, 4, 2, 2, 2, 2, 1, 2, 3, 1, 1, 1, 1, 3, 2, 3, 3, 3, 1, 2, 3}
	toBe := [21]float64{5, 5, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 5, 5, 4, 3, 4, 4, 5, 4, 3}
	r := ratingsOf(asIs, toBe)
	b.ReportAllocs()
	for b.Loop() {
		_ = q.Score(r)
	}
}
