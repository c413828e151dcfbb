package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// participantCookie recognises a participant's browser in one round: its Path is the
// round's link, so it is sent nowhere else.
const participantCookie = "loyalty_participant"

// limitJoin answers 429 to an address that has named too many unknown workshop codes, before
// the code it names now is looked up: while it waits, a right guess looks like a wrong one.
// The join form without a code is always shown.
func (s *Server) limitJoin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Param("code") == "" && c.QueryParam("code") == "" {
			return next(c)
		}
		blocked, wait, err := s.ws.joinLimit.Blocked(c.Request().Context(), c.RealIP())
		if err != nil {
			return err
		}
		if !blocked {
			return next(c)
		}
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		minutes := int(wait.Minutes()) + 1
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			return assessment.NewError(assessment.ETOOMANY, assessment.MsgJoinTooMany, assessment.Args{"Count": minutes})
		}
		c.Response().Header().Set("X-Robots-Tag", "noindex")
		p := views.JoinPage{Page: s.page(c, "ws.join.title"), Error: loc(c).N("ws.join.too_many", minutes)}
		return render(c, http.StatusTooManyRequests, views.Join(p))
	}
}

// missedCode counts err against this address if it says the code named no round. It fails
// only when the count cannot be recorded.
func (s *Server) missedCode(c echo.Context, err error) error {
	if assessment.ErrorCode(err) == assessment.ENOTFOUND {
		return s.ws.joinLimit.Fail(c.Request().Context(), c.RealIP())
	}
	return nil
}

// joinForm is where a participant types the short code shown in the room, or lands from a
// link with ?code=. A well-formed code that names no open round counts against the
// address; a malformed one is refused without a lookup, so it tells nothing and counts not.
func (s *Server) joinForm(c echo.Context) error {
	p := views.JoinPage{Page: s.page(c, "ws.join.title"), Code: c.QueryParam("code")}
	if p.Code == "" {
		return render(c, http.StatusOK, views.Join(p))
	}
	short, ok := assessment.NormalizeShortCode(p.Code)
	if ok {
		r, err := s.store.OpenRoundByShortCode(c.Request().Context(), short)
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/j/"+url.PathEscape(r.Code))
		}
		if assessment.ErrorCode(err) != assessment.ENOTFOUND {
			return err
		}
		if err := s.missedCode(c, err); err != nil {
			return err
		}
	}
	p.Error = loc(c).T("ws.join.unknown")
	return render(c, http.StatusNotFound, views.Join(p))
}

// roundByCode loads the round of the :code link and, unless the participant chose a
// language, shows it in the round's language. An unknown code counts against the address.
func (s *Server) roundByCode(c echo.Context) (*assessment.Round, error) {
	r, err := s.store.RoundByCode(c.Request().Context(), c.Param("code"))
	if err != nil {
		if ferr := s.missedCode(c, err); ferr != nil {
			return nil, ferr
		}
		return nil, err
	}
	if c.QueryParam("lang") == "" && slices.Contains(s.langs, r.Lang) {
		if _, err := c.Cookie(langCookie); err != nil {
			c.Set(langKey, r.Lang)
		}
	}
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	return r, nil
}

// participantToken returns the token of this browser's participant in round r, if any.
func participantToken(c echo.Context) string {
	if ck, err := c.Cookie(participantCookie); err == nil {
		return ck.Value
	}
	return ""
}

// participate shows a participant's form with their own answers so far, and nothing else.
// Once the round has closed, the participant this browser's cookie names sees their own
// answers read-only; anyone else sees only the thank-you.
func (s *Server) participate(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	var own *assessment.Participant
	if tok := participantToken(c); tok != "" {
		own, err = s.store.Participant(c.Request().Context(), r.ID, auth.HashToken(tok))
		if err != nil && assessment.ErrorCode(err) != assessment.ENOTFOUND {
			return err
		}
	}
	given := map[string]string{}
	name, role := "", ""
	if own != nil {
		for i, x := range own.Ratings {
			given[fmt.Sprintf("c%d_as_is", i+1)] = strconv.FormatFloat(x.AsIs, 'f', -1, 64)
			given[fmt.Sprintf("c%d_to_be", i+1)] = strconv.FormatFloat(x.ToBe, 'f', -1, 64)
		}
		name, role = own.Name, own.Role
	}
	p, err := s.participatePage(c, r, given, name, role, nil)
	if err != nil {
		return err
	}
	p.Known = own != nil
	p.Saved = own != nil && r.Open() && c.QueryParam("saved") == "1"
	if own != nil && !r.Open() {
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
			oc.Items = append(oc.Items, views.OwnAnswer{Number: comp.Number, Name: l.Text(comp.Name),
				AsIs: l.Num(x.AsIs, decimals(x.AsIs)), ToBe: l.Num(x.ToBe, decimals(x.ToBe)), Gap: l.Signed(gap, decimals(gap))})
		}
		out = append(out, oc)
	}
	return out
}

func (s *Server) participatePage(c echo.Context, r *assessment.Round, given map[string]string, name, role string, problems []assessment.FieldError) (views.ParticipatePage, error) {
	cl, err := s.store.Client(c.Request().Context(), r.WorkspaceID, r.ClientID)
	if err != nil {
		return views.ParticipatePage{}, err
	}
	tp := s.testPage(c, given, role, "", profileForm{}, problems)
	tp.Title = r.Title
	tp.Path = "/j/" + r.Code
	return views.ParticipatePage{Test: tp, Code: r.Code, Title: r.Title, Client: cl.Profile.Name, Name: name, Open: r.Open(), Revealed: r.Revealed}, nil
}

// submitParticipation stores or replaces this browser's answers while the round is open.
func (s *Server) submitParticipation(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	answers, given, parseProblems := s.parseAnswerForm(c)
	name, role := c.FormValue("name"), c.FormValue("role")
	p, err := s.q.NewParticipant(name, role, answers)
	if err == nil && len(parseProblems) > 0 {
		err = assessment.Invalid(parseProblems)
	}
	if err == nil && !r.Open() {
		err = assessment.NewError(assessment.ECONFLICT, assessment.MsgRoundClosed, nil)
	}
	if err == nil {
		err = s.saveParticipant(c, r, &p)
	}
	switch assessment.ErrorCode(err) {
	case "":
		return c.Redirect(http.StatusSeeOther, "/j/"+url.PathEscape(r.Code)+"?saved=1")
	case assessment.EINVALID:
		page, perr := s.participatePage(c, r, given, name, role, mergeProblems(assessment.FieldErrors(err), parseProblems))
		if perr != nil {
			return perr
		}
		page.Known = participantToken(c) != ""
		return render(c, http.StatusUnprocessableEntity, views.Participate(page))
	case assessment.ECONFLICT:
		r.ClosedAt = s.now() // closed meanwhile: show the closed page
		page, perr := s.participatePage(c, r, given, name, role, nil)
		if perr != nil {
			return perr
		}
		return render(c, http.StatusConflict, views.Participate(page))
	}
	return err
}

// saveParticipant replaces the answers of the participant this browser's cookie names, or
// stores a new participant and gives the browser its cookie: each browser counts once.
func (s *Server) saveParticipant(c echo.Context, r *assessment.Round, p *assessment.Participant) error {
	ctx := c.Request().Context()
	if tok := participantToken(c); tok != "" {
		err := s.store.SaveParticipant(ctx, r.Code, auth.HashToken(tok), true, p)
		if assessment.ErrorCode(err) != assessment.ENOTFOUND {
			return err
		}
	}
	tok, hash := auth.NewToken()
	if err := s.store.SaveParticipant(ctx, r.Code, hash, false, p); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: participantCookie, Value: tok, Path: "/j/" + r.Code, MaxAge: int((90 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	return nil
}

// roomView shows the room the aggregate once the consultant has revealed it: means,
// spread and disagreement flags, never a participant's answers.
func (s *Server) roomView(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	cl, err := s.store.Client(c.Request().Context(), r.WorkspaceID, r.ClientID)
	if err != nil {
		return err
	}
	p := views.RoomPage{Page: s.page(c, "ws.room.title"), Code: r.Code, Title: r.Title, Client: cl.Profile.Name, Revealed: r.Revealed}
	p.Path = "/j/" + r.Code + "/room"
	if r.Revealed {
		if p.Live, err = s.roundLive(c, r, false); err != nil {
			return err
		}
		p.Charts = true
	}
	return render(c, http.StatusOK, views.Room(p))
}
