package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is a colleague's side of a personal link (assessment/invitation.go): /i/{token}
// shows for whom the link is and the round's welcome; Start makes this browser that colleague,
// once, and leads to the round's own pages (join.go). The same browser coming back is let
// through; any other is refused with a page that says why. Opening the link changes nothing,
// so a mail program or chat that fetches it to show a preview uses up nothing.

// invitationPath is the path of the personal link of token, with suffix.
func invitationPath(token, suffix string) string { return "/i/" + url.PathEscape(token) + suffix }

// invitation loads the personal link of the :token path with its round and, unless the
// colleague chose a language, shows it in the round's.
func (s *Server) invitation(c echo.Context) (*assessment.Invitation, *assessment.Round, error) {
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	c.Response().Header().Set("Cache-Control", "no-store")
	i, r, err := s.db.invitations.Invitation(c.Request().Context(), c.Param("token"))
	if err != nil {
		return nil, nil, err
	}
	s.roundLang(c, r)
	return i, r, nil
}

// ownsInvitation reports whether this browser is the colleague the link admitted: the
// cookie Start gave it (on the link's path) names that participant.
func (s *Server) ownsInvitation(c echo.Context, i *assessment.Invitation, r *assessment.Round) (bool, error) {
	tok := participantToken(c)
	if tok == "" || i.ParticipantID == 0 {
		return false, nil
	}
	p, err := s.db.participants.Participant(c.Request().Context(), r.ID, auth.HashToken(tok))
	if assessment.ErrorCode(err) == assessment.ENOTFOUND {
		return false, nil
	}
	return err == nil && p.ID == i.ParticipantID, err
}

// checkInvitation returns why the link cannot admit this browser now, before anyone
// presses Start: used, round closed, round full.
func (s *Server) checkInvitation(c echo.Context, i *assessment.Invitation, r *assessment.Round) error {
	if i.Used() {
		return assessment.NewError(assessment.ECONFLICT, assessment.MsgInvitationUsed, nil)
	}
	if !r.Open() {
		return assessment.NewError(assessment.ECONFLICT, assessment.MsgRoundClosed, nil)
	}
	if !r.IsTeam() {
		return nil // taken over by a consultant: their round, their room
	}
	team, err := s.db.teams.TeamOfRound(c.Request().Context(), r.ID)
	if err != nil {
		return err
	}
	links, err := s.db.invitations.Invitations(c.Request().Context(), r.ID)
	if err != nil {
		return err
	}
	return i.CheckUse(team.PlacesOf(links))
}

// invitationPage shows a personal link: to the browser it admitted, the round; to a new one,
// for whom the link is and the round's welcome; to any other, why not.
func (s *Server) invitationPage(c echo.Context) error {
	i, r, err := s.invitation(c)
	if err != nil {
		return s.refuse(c, err)
	}
	if own, err := s.ownsInvitation(c, i, r); err != nil || own {
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, joinPath(r, ""))
	}
	if err := s.checkInvitation(c, i, r); err != nil {
		return s.refuse(c, err)
	}
	return s.renderInvitation(c, i, r, http.StatusOK, "", "", nil)
}

// renderInvitation is the round's welcome on a personal link: Start posts to the link.
func (s *Server) renderInvitation(c echo.Context, i *assessment.Invitation, r *assessment.Round, status int, name, role string, err error) error {
	p, werr := s.welcomePage(c, r, name, role, err)
	if werr != nil {
		return werr
	}
	p.StartAction, p.For = invitationPath(i.Token, ""), i.Label
	p.Path = invitationPath(i.Token, "")
	return render(c, status, views.Welcome(p))
}

// startInvitation makes this browser the link's colleague, once: a new participant with the
// name and role given (both optional), the link used, and the cookie on both the round's path
// and the link's, so that either recognises it. A browser that is that colleague already goes
// on; any other is refused.
func (s *Server) startInvitation(c echo.Context) error {
	i, r, err := s.invitation(c)
	if err != nil {
		return s.refuse(c, err)
	}
	if own, err := s.ownsInvitation(c, i, r); err != nil || own {
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, joinPath(r, ""))
	}
	nameIn, roleIn := c.FormValue("name"), c.FormValue("role")
	name, role, err := assessment.NewParticipantName(nameIn, roleIn)
	if err != nil {
		return s.renderInvitation(c, i, r, http.StatusUnprocessableEntity, nameIn, roleIn, err)
	}
	tok, hash := auth.NewToken()
	p := assessment.Participant{Name: name, Role: role}
	if r, err = s.db.invitations.JoinByInvitation(c.Request().Context(), i.Token, hash, &p); err != nil {
		return s.refuse(c, err)
	}
	s.setParticipantCookie(c, r, tok)
	c.SetCookie(&http.Cookie{Name: participantCookie, Value: tok, Path: invitationPath(i.Token, ""), MaxAge: participantCookieAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	return c.Redirect(http.StatusSeeOther, joinPath(r, ""))
}

// refusals are the pages that say why a personal link, or a team round's shared code, lets
// this browser in no further: the heading and text of each refusal, by the error's message.
var refusals = map[string]string{
	assessment.MsgInvitationNotFound: "team.refused.unknown",
	assessment.MsgInvitationUsed:     "team.refused.used",
	assessment.MsgTeamFull:           "team.refused.full",
	assessment.MsgRoundClosed:        "team.refused.closed",
	assessment.MsgTeamByInvitation:   "team.refused.code",
	assessment.MsgRoundNotFound:      "team.refused.unknown",
}

// refuse answers err with its refusal page and status, or passes on an error that is none.
func (s *Server) refuse(c echo.Context, err error) error {
	e, ok := assessment.AsError(err)
	key, known := "", false
	if ok {
		key, known = refusals[e.Key]
	}
	if !known {
		return err
	}
	l := loc(c)
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	c.Response().Header().Set("Cache-Control", "no-store")
	p := views.ErrorPage{Page: s.participantPage(c, key+".title"), Heading: l.T(key + ".title"), Text: l.F(key+".text", views.Args{"Count": e.Args["Count"]})}
	return render(c, statusOf[e.Code], views.InvitationRefused(p))
}
