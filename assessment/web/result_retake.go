package web

import (
	"context"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is "retake and compare" (issue 10 §3): the result page links to the test form
// with ?previous=<its own token>, which whoever is on that page already holds; the form
// starts with the earlier result's company profile and sends the token back in a hidden
// field (or the API's "previous"); the new result stores only the earlier row's id. Nothing
// the new result shows — its page, its JSON, its share link — carries the earlier token:
// the earlier result is read back through Store.PreviousAssessment, which leaves the token
// out, and shown by its date.

// resolvePrevious returns the earlier result a retake names by token, or a problem naming
// the field when there is no such result (never was, or deleted meanwhile). An empty token
// is no retake.
func (s *Server) resolvePrevious(ctx context.Context, token string) (*assessment.Assessment, []assessment.FieldError, error) {
	if token == "" {
		return nil, nil, nil
	}
	prev, err := s.db.assessments.Assessment(ctx, token)
	switch assessment.ErrorCode(err) {
	case "":
		return prev, nil, nil
	case assessment.ENOTFOUND:
		return nil, []assessment.FieldError{assessment.UnknownPrevious()}, nil
	}
	return nil, nil, err
}

// retakeOf compares res, the scored result a, with the earlier result it retakes; nil when a
// retakes none or the earlier one has been deleted.
func (s *Server) retakeOf(ctx context.Context, a *assessment.Assessment, res *assessment.Result) (*assessment.Retake, error) {
	if a.PreviousID == 0 {
		return nil, nil
	}
	prev, err := s.db.assessments.PreviousAssessment(ctx, a)
	switch assessment.ErrorCode(err) {
	case "":
	case assessment.ENOTFOUND:
		return nil, nil
	default:
		return nil, err
	}
	rt := s.q.CompareRetake(prev, *res)
	return &rt, nil
}

// movedShown is how many competencies the result page names as improved, and as slipped: the
// largest moves; the category table has the rest.
const movedShown = 5

// retakeView shows a retake's comparison: the earlier date, the two indexes before and after,
// the categories' deltas and the largest moves.
func (s *Server) retakeView(l views.Loc, rt *assessment.Retake, after *assessment.Result) *views.RetakeView {
	v := &views.RetakeView{
		Taken:      formatDate(l, rt.Taken),
		AsIsBefore: l.Num(rt.Before.AsIsIndex, 0), AsIsAfter: l.Num(after.AsIsIndex, 0), AsIsDelta: indexDelta(l, rt.Before.AsIsIndex, after.AsIsIndex),
		ToBeBefore: l.Num(rt.Before.ToBeIndex, 0), ToBeAfter: l.Num(after.ToBeIndex, 0), ToBeDelta: indexDelta(l, rt.Before.ToBeIndex, after.ToBeIndex),
		Rows: append(s.categoryDeltas(l, rt.Comparison), deltaRow(l, l.T("result.retake.overall"), rt.Overall)),
	}
	v.Improved, v.MoreImproved = s.largestMoves(l, rt.Comparison, rt.Improved)
	v.Slipped, v.MoreSlipped = s.largestMoves(l, rt.Comparison, rt.Slipped)
	return v
}

// largestMoves names the first movedShown competencies of moved (largest move first), and
// the others apart, for the page to fold away.
func (s *Server) largestMoves(l views.Loc, cmp assessment.Comparison, moved []int) (first, rest []string) {
	for i, n := range moved {
		if i < movedShown {
			first = append(first, s.movedAsIs(l, cmp, n))
		} else {
			rest = append(rest, s.movedAsIs(l, cmp, n))
		}
	}
	return first, rest
}

// indexDelta is the change of an index as the two shown indexes differ, so that the numbers
// on the page add up (gapIndex does the same for the gap).
func indexDelta(l views.Loc, before, after float64) string { return gapIndex(l, before, after) }
