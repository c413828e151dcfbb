package web

import (
	"fmt"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// This file says how scores moved between two results (assessment.Compare), the same way for
// the comparison of two workshop rounds (compare.go) and for a retake of the five-minute test
// (result_retake.go).

// deltaRow is one line of a delta table: before, after and the change, AS-IS and TO-BE; each
// change is the difference of the two figures shown beside it.
func deltaRow(l views.Loc, label string, d assessment.Delta) views.DeltaRow {
	return views.DeltaRow{Label: label, BeforeAsIs: l.Num(d.Before.AsIs, 1), AfterAsIs: l.Num(d.After.AsIs, 1), DeltaAsIs: l.Gap(d.Before.AsIs, d.After.AsIs, 1),
		BeforeToBe: l.Num(d.Before.ToBe, 1), AfterToBe: l.Num(d.After.ToBe, 1), DeltaToBe: l.Gap(d.Before.ToBe, d.After.ToBe, 1),
		Up: d.AsIs > 1e-9, Down: d.AsIs < -1e-9}
}

// categoryDeltas is a delta row per category, labelled "L · Leadership Commitment".
func (s *Server) categoryDeltas(l views.Loc, cmp assessment.Comparison) []views.DeltaRow {
	labels := s.categoryLabels(l)
	rows := make([]views.DeltaRow, len(cmp.Categories))
	for i, gd := range cmp.Categories {
		rows[i] = deltaRow(l, labels[i], gd.Delta)
	}
	return rows
}

// movedAsIs says how the AS-IS of competency n moved: "5 Commitment: 2 → 4 (+2)".
func (s *Server) movedAsIs(l views.Loc, cmp assessment.Comparison, n int) string {
	d := cmp.Competencies[n-1]
	return fmt.Sprintf("%d %s: %s → %s (%s)", n, s.competencyTitle(l, n), l.Num(d.Before.AsIs, decimals(d.Before.AsIs)),
		l.Num(d.After.AsIs, decimals(d.After.AsIs)), shownGap(l, d.Before.AsIs, d.After.AsIs))
}
