package web

import (
	"context"
	"math/rand/v2"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is where a view of a round's result gets the participants it may count: the
// round's publication (assessment/publication.go), never the answers as they are this second.
// A view of an open round first publishes what the rule allows, so whoever looks first after
// enough new answers arrived sees them; a view of a closed round reads the frozen one.

// maxPublishTries bounds how often a view re-reads a publication another request stored
// meanwhile: each try that loses means a publication was stored, which needs new answers.
const maxPublishTries = 3

// shown returns the participants round r's result is computed from (with their publication
// labels, in label order) and what waits, given all of r's participants ps. It updates
// r.Published.
func (s *Server) shown(ctx context.Context, r *assessment.Round, ps []assessment.Participant) ([]assessment.Participant, assessment.Pending, error) {
	if !r.Open() {
		shown := s.q.Shown(r, ps)
		cur := assessment.Publication{Seq: 1, Rows: make([]assessment.PublishedRow, len(shown))}
		for i, p := range shown {
			cur.Rows[i] = assessment.PublishedRow{Participant: p.ID, Label: p.Label, Ratings: p.Ratings}
		}
		_, pending, _ := s.q.NextPublication(cur, ps, s.now(), nil)
		return shown, pending, nil
	}
	for range maxPublishTries {
		next, pending, changed := s.q.NextPublication(r.Published, ps, s.now(), rand.IntN)
		if !changed {
			return r.Published.Participants(), pending, nil
		}
		ok, err := s.db.participants.PublishRound(ctx, r.ID, next)
		if err != nil {
			return nil, pending, err
		}
		if ok {
			r.Published = next
			return next.Participants(), pending, nil
		}
		if r.Published, err = s.db.participants.RoundPublication(ctx, r.ID); err != nil {
			return nil, pending, err
		}
	}
	_, pending, _ := s.q.NextPublication(r.Published, ps, s.now(), nil)
	return r.Published.Participants(), pending, nil
}

// shownRatings is shown for what Aggregate takes.
func (s *Server) shownRatings(ctx context.Context, r *assessment.Round, ps []assessment.Participant) ([]assessment.Ratings, assessment.Pending, error) {
	shown, pending, err := s.shown(ctx, r, ps)
	return assessment.FinishedRatings(shown), pending, err
}

// pendingNote tells the consultant what waits: "2 new answers will show once 3 have
// arrived", or for a closed round how many answers its frozen result leaves out. Empty when
// nothing does.
func (s *Server) pendingNote(l views.Loc, r *assessment.Round, p assessment.Pending) string {
	if p.Total() == 0 {
		return ""
	}
	if !r.Open() {
		return l.F("ws.publish.left_out", views.Args{"Count": p.Total(), "Min": s.q.MinParticipantsForDetail})
	}
	k := s.q.MinParticipantsForDetail
	return l.F("ws.publish.pending", views.Args{"Count": p.Total(), "Min": k, "Missing": p.Missing(k)})
}

// waitNote says why a round with finished participants shows no result yet: fewer than
// MinParticipantsForDetail have finished.
func (s *Server) waitNote(l views.Loc, finished int) string {
	return l.F(assessment.MsgResultTooFew, views.Args{"Min": s.q.MinParticipantsForDetail, "Finished": finished})
}

// tooFew is the ECONFLICT error of a view or export of a round whose publication is empty:
// fewer than MinParticipantsForDetail of its participants ps have finished.
func (s *Server) tooFew(ps []assessment.Participant) error {
	return assessment.NewError(assessment.ECONFLICT, assessment.MsgResultTooFew,
		assessment.Args{"Min": s.q.MinParticipantsForDetail, "Finished": assessment.ProgressOf(ps).Finished})
}

// checkReveal publishes what the rule allows of round r and returns ECONFLICT when its
// publication still counts fewer than MinParticipantsForDetail: a reveal would show nothing,
// and the reveal button says so (assessment.Questionnaire.CheckReveal).
func (s *Server) checkReveal(ctx context.Context, r *assessment.Round, ps []assessment.Participant) error {
	shown, _, err := s.shown(ctx, r, ps)
	if err != nil {
		return err
	}
	return s.q.CheckReveal(len(shown), assessment.ProgressOf(ps).Finished)
}
