package assessment

import (
	"math"
	"sort"
)

// Delta is how one score moved from an earlier round to a later one.
type Delta struct {
	Before Score
	After  Score
	// AsIs, ToBe and Gap are After minus Before.
	AsIs float64
	ToBe float64
	Gap  float64
}

func newDelta(before, after Score) Delta {
	return Delta{Before: before, After: after, AsIs: after.AsIs - before.AsIs, ToBe: after.ToBe - before.ToBe, Gap: after.Gap - before.Gap}
}

// CompetencyDelta is the movement of one competency.
type CompetencyDelta struct {
	Number int
	Delta
}

// GroupDelta is the movement of one category or theme.
type GroupDelta struct {
	Key string
	Delta
}

// Comparison compares two results of the same client, Before the earlier.
type Comparison struct {
	Overall      Delta
	Categories   []GroupDelta
	Competencies []CompetencyDelta
	// Improved lists the competencies whose AS-IS rose, largest rise first; Slipped those
	// whose AS-IS fell, largest fall first. Ties go by number.
	Improved []int
	Slipped  []int
}

// compareEpsilon ignores differences that are only floating-point noise in a mean.
const compareEpsilon = 1e-9

// Compare returns how after differs from before, competency by competency.
func Compare(before, after Result) Comparison {
	c := Comparison{Overall: newDelta(before.Overall, after.Overall)}
	for i := range after.Categories {
		c.Categories = append(c.Categories, GroupDelta{Key: after.Categories[i].Key, Delta: newDelta(before.Categories[i].Score, after.Categories[i].Score)})
	}
	for i := range after.Competencies {
		d := CompetencyDelta{Number: after.Competencies[i].Number, Delta: newDelta(before.Competencies[i].Score, after.Competencies[i].Score)}
		c.Competencies = append(c.Competencies, d)
		switch {
		case d.AsIs > compareEpsilon:
			c.Improved = append(c.Improved, d.Number)
		case d.AsIs < -compareEpsilon:
			c.Slipped = append(c.Slipped, d.Number)
		}
	}
	by := func(list []int, sign float64) {
		sort.SliceStable(list, func(i, j int) bool {
			a, b := c.Competencies[list[i]-1].AsIs*sign, c.Competencies[list[j]-1].AsIs*sign
			if math.Abs(a-b) > compareEpsilon {
				return a > b
			}
			return list[i] < list[j]
		})
	}
	by(c.Improved, 1)
	by(c.Slipped, -1)
	return c
}
