package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// The participant's page on the round's link (join.go has the rest of the participants'
// side): the form with their answers so far, the done state, their own answers read-only
// once the round has closed.

// participate shows a participant's page: the welcome (who sees what, an optional name, Start)
// to a browser that has not joined; the form with its own answers so far to one that has;
// to one that has sent them, the done state (thank you, what happens next, Change my
// answers, which is the form again at ?edit=1); once the round has closed, their own answers
// read-only, or to anyone else the thank-you.
func (s *Server) participate(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	own, err := s.self(c, r)
	if err != nil {
		return err
	}
	if own == nil && r.Open() {
		if err := r.CheckJoinByCode(); err != nil {
			return s.refuse(c, err)
		}
		return s.renderWelcome(c, r, http.StatusOK, "", "", nil)
	}
	given := map[string]string{}
	name, role := "", ""
	if own != nil {
		for i, x := range own.Draft {
			if !isMissing(x.AsIs) {
				given[fmt.Sprintf("c%d_as_is", i+1)] = strconv.FormatFloat(x.AsIs, 'f', -1, 64)
			}
			if !isMissing(x.ToBe) {
				given[fmt.Sprintf("c%d_to_be", i+1)] = strconv.FormatFloat(x.ToBe, 'f', -1, 64)
			}
		}
		name, role = own.Name, own.Role
	}
	p, err := s.participatePage(c, r, own, given, name, role, nil)
	if err != nil {
		return err
	}
	// Sent and open: the done state, until the participant asks to change their answers.
	p.Done = own != nil && own.Finished() && r.Open() && c.QueryParam("edit") != "1"
	if p.Done {
		p.EditURL = joinPath(r, "?edit=1")
	}
	if own != nil && own.Finished() && !r.Open() {
		p.Own = s.ownAnswers(loc(c), own.Ratings)
	}
	return render(c, http.StatusOK, views.Participate(p))
}

// ownAnswers formats a participant's own ratings by category for the read-only summary of
// a closed round.
func (s *Server) ownAnswers(l views.Loc, r assessment.Ratings) []views.OwnCategory {
	var out []views.OwnCategory
	for _, cat := range s.q.Categories {
		oc := views.OwnCategory{Letter: cat.Letter, Name: l.Text(cat.Name)}
		for _, comp := range s.q.CategoryCompetencies(cat.Key) {
			if comp.Number < 1 || comp.Number > len(r) {
				continue
			}
			x := r[comp.Number-1]
			gap := x.ToBe - x.AsIs
			oc.Items = append(oc.Items, views.OwnAnswer{Number: comp.Number, Name: s.competencyTitle(l, comp.Number),
				AsIs: l.Num(x.AsIs, decimals(x.AsIs)), ToBe: l.Num(x.ToBe, decimals(x.ToBe)), Gap: l.Signed(gap, decimals(gap))})
		}
		out = append(out, oc)
	}
	return out
}

func (s *Server) participatePage(c echo.Context, r *assessment.Round, own *assessment.Participant, given map[string]string, name, role string, problems []assessment.FieldError) (views.ParticipatePage, error) {
	client, title, err := s.roundNames(c, r)
	if err != nil {
		return views.ParticipatePage{}, err
	}
	tp := s.testPage(c, given, role, "", profileForm{}, problems)
	tp.Title = title
	tp.Path = joinPath(r, "")
	tp.Audience = views.AudienceParticipant
	p := views.ParticipatePage{Test: tp, Code: r.Code, Title: title, Client: client, Name: name, Open: r.Open(),
		Team: r.IsTeam(), MinDetail: s.q.MinParticipantsForDetail,
		Revealed: r.Revealed, Known: own != nil, StateURL: joinPath(r, "/state"), DraftURL: joinPath(r, "/draft"),
		RoomURL: joinPath(r, "/room"), LivePollMS: s.livePoll.Milliseconds(), Countdown: s.countdown(loc(c), r)}
	if own != nil {
		p.Finished = own.Finished()
	}
	return p, nil
}

// isMissing reports whether a draft score is not given yet.
func isMissing(v float64) bool { return math.IsNaN(v) }
