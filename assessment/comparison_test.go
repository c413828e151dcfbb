package assessment_test

import (
	"slices"
	"testing"

	"github.com/loyalty-cx/loyalty/assessment"
)

func TestCompare(t *testing.T) {
	q := mustQuestionnaire(t)
	before := q.Score(wsRatings(2, 4, nil))
	after := q.Score(wsRatings(2, 4, map[int]assessment.Rating{
		3: {AsIs: 4, ToBe: 4}, 5: {AsIs: 3, ToBe: 5}, 7: {AsIs: 1, ToBe: 4}, 9: {AsIs: 1, ToBe: 3},
	}))
	c := assessment.Compare(before, after)
	if !slices.Equal(c.Improved, []int{3, 5}) || !slices.Equal(c.Slipped, []int{7, 9}) {
		t.Errorf("Improved %v Slipped %v, want [3 5] [7 9]", c.Improved, c.Slipped)
	}
	if d := c.Competencies[2]; d.Number != 3 || d.AsIs != 2 || d.ToBe != 0 || d.Gap != -2 {
		t.Errorf("competency 3 delta = %+v, want +2 AS-IS, gap −2", d)
	}
	if d := c.Competencies[8]; d.ToBe != -1 || d.AsIs != -1 {
		t.Errorf("competency 9 delta = %+v", d)
	}
	// Leadership AS-IS 2,2,4 → 8/3: +2/3. Overall AS-IS +(2+1−1−1)/21 = +1/21.
	if d := c.Categories[0]; d.Key != "leadership" || !near(d.AsIs, 2.0/3) {
		t.Errorf("leadership delta = %+v, want +2/3", d)
	}
	if !near(c.Overall.AsIs, 1.0/21) {
		t.Errorf("overall delta = %g, want 1/21", c.Overall.AsIs)
	}
}
