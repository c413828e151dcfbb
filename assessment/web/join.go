package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file and join_*.go are the participants' side of a workshop round, on their phones.
// This one is joining (by link, QR or short code): the limit on unknown codes, the welcome
// and the cookie that recognises a browser. join_form.go shows the form and the done state,
// join_answer.go stores the answers (every tap saved, the submit), and join_room.go follows
// the room (reveal, hide, the countdown) without a reload and shows the room's result once
// they have answered.

// participantCookie recognises a participant's browser in one round: its Path is the
// round's link, so it is sent nowhere else.
const participantCookie = "loyalty_participant"

// joinBlocked is what missedCode returns for a code that names no round while this address
// has missed too many: limitJoin answers it with 429.
type joinBlocked struct{ wait time.Duration }

func (e *joinBlocked) Error() string { return "join: too many unknown codes from this address" }

// limitJoin answers 429 to an address that has named too many unknown workshop codes, when it
// names one more. Only the failed guess is refused: a code that names a round always gets in,
// so that the typos of a whole office behind one address never lock out the room (the full
// link's code carries at least 128 random bits and cannot be guessed; what a short code's 40
// bits allow is in README.md, Security). The join form without a code is always shown.
func (s *Server) limitJoin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		var blocked *joinBlocked
		if !errors.As(err, &blocked) {
			return err
		}
		wait := blocked.wait
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		minutes := int(wait.Minutes()) + 1
		if isAPI(c) {
			return assessment.NewError(assessment.ETOOMANY, assessment.MsgJoinTooMany, assessment.Args{"Count": minutes})
		}
		c.Response().Header().Set("X-Robots-Tag", "noindex")
		p := views.JoinPage{Page: s.participantPage(c, "ws.join.title"), Error: loc(c).N("ws.join.too_many", minutes)}
		return render(c, http.StatusTooManyRequests, views.Join(p))
	}
}

// missedCode is called with the error of looking a code up. When the code named no round, it
// returns a *joinBlocked if this address has reached its limit of misses, and otherwise counts
// the miss and returns nil, so the caller answers its own "unknown". It fails when the count
// cannot be read or recorded.
func (s *Server) missedCode(c echo.Context, err error) error {
	if assessment.ErrorCode(err) != assessment.ENOTFOUND {
		return nil
	}
	ctx, ip := c.Request().Context(), c.RealIP()
	blocked, wait, err := s.ws.joinLimit.Blocked(ctx, ip)
	if err != nil {
		return err
	}
	if blocked {
		return &joinBlocked{wait: wait}
	}
	return s.ws.joinLimit.Fail(ctx, ip)
}

// joinForm is where a participant types the short code shown in the room, or lands from a
// link with ?code=. A well-formed code that names no open round counts against the
// address; a malformed one is refused without a lookup, so it tells nothing and counts not.
func (s *Server) joinForm(c echo.Context) error {
	p := views.JoinPage{Page: s.participantPage(c, "ws.join.title"), Code: c.QueryParam("code")}
	if p.Code == "" {
		return render(c, http.StatusOK, views.Join(p))
	}
	short, ok := assessment.NormalizeShortCode(p.Code)
	if ok {
		r, err := s.db.rounds.OpenRoundByShortCode(c.Request().Context(), short)
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
	r, err := s.db.rounds.RoundByCode(c.Request().Context(), c.Param("code"))
	if err != nil {
		if ferr := s.missedCode(c, err); ferr != nil {
			return nil, ferr
		}
		return nil, err
	}
	s.roundLang(c, r)
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	c.Response().Header().Set("Cache-Control", "no-store")
	return r, nil
}

// roundLang shows the page in round r's language unless the participant chose one.
func (s *Server) roundLang(c echo.Context, r *assessment.Round) {
	if c.QueryParam("lang") == "" && slices.Contains(s.langs, r.Lang) {
		if _, err := c.Cookie(langCookie); err != nil {
			c.Set(langKey, r.Lang)
		}
	}
}

// participantToken returns the token of this browser's participant in round r, if any.
func participantToken(c echo.Context) string {
	if ck, err := c.Cookie(participantCookie); err == nil {
		return ck.Value
	}
	return ""
}

// self returns the participant this browser is in round r, or nil.
func (s *Server) self(c echo.Context, r *assessment.Round) (*assessment.Participant, error) {
	tok := participantToken(c)
	if tok == "" {
		return nil, nil
	}
	p, err := s.db.participants.Participant(c.Request().Context(), r.ID, auth.HashToken(tok))
	if assessment.ErrorCode(err) == assessment.ENOTFOUND {
		return nil, nil
	}
	return p, err
}

// roundNames returns how a participant's pages name round r: its client and its title, or
// for a team round the company of the result it was opened from and the pages' own name.
func (s *Server) roundNames(c echo.Context, r *assessment.Round) (client, title string, err error) {
	ctx := c.Request().Context()
	if r.IsTeam() {
		team, err := s.db.teams.TeamOfRound(ctx, r.ID)
		if err != nil {
			return "", "", err
		}
		return team.Company.Name, loc(c).T("team.round.title"), nil
	}
	cl, err := s.db.clients.Client(ctx, r.WorkspaceID, r.ClientID)
	if err != nil {
		return "", "", err
	}
	return cl.Profile.Name, r.Title, nil
}

// participantsOf lists the participants of round r, a workspace's or a team's.
func (s *Server) participantsOf(ctx context.Context, r *assessment.Round) ([]assessment.Participant, error) {
	if r.IsTeam() {
		return s.db.teams.TeamParticipants(ctx, r.ID)
	}
	return s.db.participants.RoundParticipants(ctx, r.WorkspaceID, r.ID)
}

func joinPath(r *assessment.Round, suffix string) string {
	return "/j/" + url.PathEscape(r.Code) + suffix
}

// renderWelcome shows the start of a round: what it is, who will see what, an optional name
// and role, and the Start button.
func (s *Server) renderWelcome(c echo.Context, r *assessment.Round, status int, name, role string, err error) error {
	p, werr := s.welcomePage(c, r, name, role, err)
	if werr != nil {
		return werr
	}
	return render(c, status, views.Welcome(p))
}

// welcomePage is the start of round r on its link, with the name and role given and err's
// problems beside them.
func (s *Server) welcomePage(c echo.Context, r *assessment.Round, name, role string, err error) (views.WelcomePage, error) {
	client, title, cerr := s.roundNames(c, r)
	if cerr != nil {
		return views.WelcomePage{}, cerr
	}
	l := loc(c)
	p := views.WelcomePage{Page: s.participantPage(c, "ws.welcome.title"), Code: r.Code, Title: title, Client: client, Team: r.IsTeam(),
		Name: name, Role: role, Errors: map[string]string{}, Countdown: s.countdown(l, r), MinDetail: s.q.MinParticipantsForDetail,
		StartAction: joinPath(r, "/start")}
	p.Page.Title = title
	p.Path = joinPath(r, "")
	for _, fe := range assessment.FieldErrors(err) {
		p.Errors[fe.Field] = l.Hint(fe)
	}
	return p, nil
}

// startParticipation joins this browser to the round with the name and role it gave (both
// optional) and gives it its cookie: from now on it counts as joined.
func (s *Server) startParticipation(c echo.Context) error {
	r, err := s.roundByCode(c)
	if err != nil {
		return err
	}
	if own, err := s.self(c, r); err != nil {
		return err
	} else if own != nil {
		return c.Redirect(http.StatusSeeOther, joinPath(r, ""))
	}
	if err := r.CheckJoinByCode(); err != nil {
		return s.refuse(c, err)
	}
	nameIn, roleIn := c.FormValue("name"), c.FormValue("role")
	name, role, err := assessment.NewParticipantName(nameIn, roleIn)
	if err != nil {
		return s.renderWelcome(c, r, http.StatusUnprocessableEntity, nameIn, roleIn, err)
	}
	tok, hash := auth.NewToken()
	p := assessment.Participant{Name: name, Role: role}
	if err := s.db.participants.JoinRound(c.Request().Context(), r.Code, hash, &p); err != nil {
		if assessment.ErrorCode(err) == assessment.EFORBIDDEN {
			return s.refuse(c, err) // a team round's shared code admits nobody new
		}
		return err
	}
	s.setParticipantCookie(c, r, tok)
	return c.Redirect(http.StatusSeeOther, joinPath(r, ""))
}

// participantCookieAge is how long a browser stays recognised as a round's participant, in
// seconds: 90 days.
const participantCookieAge = 90 * 24 * 60 * 60

func (s *Server) setParticipantCookie(c echo.Context, r *assessment.Round, tok string) {
	c.SetCookie(&http.Cookie{Name: participantCookie, Value: tok, Path: "/j/" + r.Code, MaxAge: participantCookieAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}
