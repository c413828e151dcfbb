package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
)

// This file is "email this link" beside each unused personal link on the team page, when the
// server sends email (-smtp): the holder types a colleague's address and the server sends
// that colleague their link, in the team round's language. As with "Email me my link"
// (result_email.go), the address is not kept: the outbox erases a team invitation's
// recipient with its bodies once it is delivered or has failed. Without a relay the team
// page offers a mailto: link instead, and this form is not found.

// Limits of emailing personal links, in an hour: per client address (enough to send every
// link of a full team, assessment.MaxInvitations, once and some twice), and per link (a
// retyped address, not a mail bomb).
const (
	maxTeamMailsIP   = assessment.MaxInvitations + 10
	maxTeamMailsLink = 3
	teamMailWindow   = time.Hour
)

// emailColleague sends the unused personal link :id of the team round to the address typed.
// A malformed address re-shows the team page with the reason beside that link (422), and
// too many messages in the hour say when to try again (429); nothing is stored either way.
func (s *Server) emailColleague(c echo.Context) error {
	if !s.mail.Delivers {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
	}
	team, err := s.teamDocument(c)
	if err != nil {
		return err
	}
	ctx, l := c.Request().Context(), loc(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgInvitationNotFound, nil)
	}
	links, err := s.db.invitations.Invitations(ctx, team.Round.ID)
	if err != nil {
		return err
	}
	k := slices.IndexFunc(links, func(i assessment.Invitation) bool { return i.ID == id })
	if k < 0 {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgInvitationNotFound, nil)
	}
	inv := links[k]
	if inv.Used() {
		return s.renderTeam(c, http.StatusConflict, team, teamForm{bad: l.Error(assessment.NewError(assessment.ECONFLICT, assessment.MsgInvitationUsed, nil))})
	}
	typed := c.FormValue("email")
	addr, fes := assessment.CleanEmail("email", typed)
	if len(fes) > 0 {
		return s.renderTeam(c, http.StatusUnprocessableEntity, team, teamForm{mailID: id, mailAddr: typed, mailErr: l.Hint(fes[0])})
	}
	wait, err := countMail(ctx, limitKey{s.ws.teamMailIPLimit, c.RealIP()}, limitKey{s.ws.teamMailLimit, team.Token + "/" + strconv.FormatInt(id, 10)})
	if err != nil {
		return err
	}
	if wait > 0 {
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		return s.renderTeam(c, http.StatusTooManyRequests, team, teamForm{mailID: id, mailAddr: addr, mailErr: l.N("reset.forgot.limited", int(wait.Minutes())+1)})
	}
	// The colleague reads the round's language (teamDocument), whatever the holder's pages speak.
	m, err := l.TeamInvitationMail(addr, inv.Label, team.Company.Name, s.absoluteURL(c, invitationPath(inv.Token, "")), s.q.MinParticipantsForDetail)
	if err != nil {
		return err
	}
	if err := s.db.mail.EnqueueMail(ctx, &m); err != nil {
		return err
	}
	s.wakeMail()
	return c.Redirect(http.StatusSeeOther, teamPath(team.Token, "?emailed="+strconv.FormatInt(id, 10)+"#colleagues"))
}
