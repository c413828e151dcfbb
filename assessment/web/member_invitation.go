package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is workspace invitations by email: an admin invites an address (the members
// page, or POST /api/v1/invitations), the invitation and its message are stored in one
// transaction, and the link (/invite/{token}, single use, 7 days, only its hash stored) lets
// the invitee choose a name and a password and signs them in. Re-sending gives a new link
// (the old one stops working); withdrawing ends it.

// wakeMail tells the outbox's worker that a message is waiting.
func (s *Server) wakeMail() {
	if s.mail.Wake != nil {
		s.mail.Wake()
	}
}

// inviteLink makes a new invitation link: the token for the message, its hash for the store.
func (s *Server) inviteLink(c echo.Context) (link, hash string) {
	tok, hash := auth.NewToken()
	return s.absoluteURL(c, "/invite/"+tok), hash
}

// invite stores an invitation of email as role to the admin's workspace, with its message
// in the page's language.
func (s *Server) invite(c echo.Context, email, role string) (*assessment.MemberInvitation, error) {
	if err := requireAdmin(c); err != nil {
		return nil, err
	}
	u, l := currentUser(c), loc(c)
	inv, err := assessment.NewMemberInvitation(email, role, l.Lang, s.now())
	if err != nil {
		return nil, err
	}
	inv.InvitedBy = u.ID
	link, hash := s.inviteLink(c)
	m, err := l.InvitationMail(inv.Email, u.Name, u.Workspace, link)
	if err != nil {
		return nil, err
	}
	if err := s.db.mail.CreateMemberInvitation(c.Request().Context(), u.WorkspaceID, &inv, hash, &m); err != nil {
		return nil, err
	}
	inv.Workspace = u.Workspace
	s.wakeMail()
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditInvitationSent, Target: assessment.AuditTarget(assessment.TargetInvitation, inv.ID)})
	return &inv, nil
}

// resendInvitation gives invitation :id a new link and sends it.
func (s *Server) resendInvitationOf(c echo.Context) (*assessment.MemberInvitation, error) {
	if err := requireAdmin(c); err != nil {
		return nil, err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	u, ctx := currentUser(c), c.Request().Context()
	inv, err := s.db.mail.MemberInvitation(ctx, u.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	link, hash := s.inviteLink(c)
	m, err := views.Loc{Lang: inv.Lang}.InvitationMail(inv.Email, u.Name, u.Workspace, link)
	if err != nil {
		return nil, err
	}
	if inv, err = s.db.mail.ResendMemberInvitation(ctx, u.WorkspaceID, id, hash, s.now(), &m); err != nil {
		return nil, err
	}
	s.wakeMail()
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditInvitationSent, Target: assessment.AuditTarget(assessment.TargetInvitation, inv.ID)})
	return inv, nil
}

// revokeInvitationOf withdraws invitation :id.
func (s *Server) revokeInvitationOf(c echo.Context) (*assessment.MemberInvitation, error) {
	if err := requireAdmin(c); err != nil {
		return nil, err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	inv, err := s.db.mail.RevokeMemberInvitation(c.Request().Context(), currentUser(c).WorkspaceID, id, s.now())
	if err != nil {
		return nil, err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditInvitationRevoked, Target: assessment.AuditTarget(assessment.TargetInvitation, inv.ID)})
	return inv, nil
}

// The members page's invitation forms. Each answers with a redirect to the page, which
// confirms what happened (sent, or written to the log when no relay is set up).

func (s *Server) createInvitation(c echo.Context) error {
	role := "member"
	if c.FormValue("admin") == "1" {
		role = assessment.RoleAdmin
	}
	inv, err := s.invite(c, c.FormValue("email"), role)
	switch assessment.ErrorCode(err) {
	case "":
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/w/members?done=invited&invitation=%d", inv.ID))
	case assessment.EINVALID, assessment.ECONFLICT:
		form := views.MembersPage{InviteEmail: c.FormValue("email"), InviteAdmin: role == assessment.RoleAdmin, InviteError: memberError(loc(c), err)}
		return s.renderMembers(c, statusOf[assessment.ErrorCode(err)], form)
	}
	return err
}

func (s *Server) resendInvitation(c echo.Context) error {
	inv, err := s.resendInvitationOf(c)
	if assessment.ErrorCode(err) == assessment.ECONFLICT {
		return s.renderMembers(c, http.StatusConflict, views.MembersPage{ActionError: memberError(loc(c), err)})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/w/members?done=resent&invitation=%d", inv.ID))
}

func (s *Server) revokeInvitation(c echo.Context) error {
	inv, err := s.revokeInvitationOf(c)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/w/members?done=revoked&invitation=%d", inv.ID))
}

// invitationNotice is the confirmation of an invitation just sent, sent again or withdrawn,
// naming its address; "" when the query names none of this workspace's.
func (s *Server) invitationNotice(c echo.Context) string {
	done := c.QueryParam("done")
	key := map[string]string{"invited": "ws.invite.sent", "resent": "ws.invite.resent", "revoked": "ws.invite.revoked"}[done]
	if key == "" || !currentUser(c).IsAdmin() {
		return ""
	}
	id, err := strconv.ParseInt(c.QueryParam("invitation"), 10, 64)
	if err != nil {
		return ""
	}
	inv, err := s.db.mail.MemberInvitation(c.Request().Context(), currentUser(c).WorkspaceID, id)
	if err != nil {
		return ""
	}
	if !s.mail.Delivers {
		key = map[string]string{"ws.invite.sent": "ws.invite.logged", "ws.invite.resent": "ws.invite.relogged"}[key]
		if key == "" {
			key = "ws.invite.revoked"
		}
	}
	return loc(c).F(key, views.Args{"Email": inv.Email})
}

// invitationRows lists the workspace's pending invitations for its admin.
func (s *Server) invitationRows(c echo.Context) ([]views.InvitationRow, error) {
	u := currentUser(c)
	if !u.IsAdmin() {
		return nil, nil
	}
	invs, err := s.db.mail.MemberInvitations(c.Request().Context(), u.WorkspaceID, s.now())
	if err != nil {
		return nil, err
	}
	rows := make([]views.InvitationRow, len(invs))
	for i, inv := range invs {
		rows[i] = views.InvitationRow{ID: inv.ID, Email: inv.Email, Admin: inv.Role == assessment.RoleAdmin, Expires: formatDate(loc(c), inv.ExpiresAt)}
	}
	return rows, nil
}

// The invitee's page.

// invitePage shows the invitation's form, or why its link does not work (404 for a link
// that never was, 410 for one used, withdrawn or expired).
func (s *Server) invitePage(c echo.Context) error {
	inv, err := s.invitationOfLink(c)
	if err != nil {
		return s.renderInviteProblem(c, err)
	}
	return s.renderInvite(c, http.StatusOK, inv, "", "")
}

// invitationOfLink returns the pending invitation of the link's token, or why it is not.
func (s *Server) invitationOfLink(c echo.Context) (*assessment.MemberInvitation, error) {
	inv, err := s.db.mail.MemberInvitationByToken(c.Request().Context(), auth.HashToken(c.Param("token")))
	if err != nil {
		return nil, err
	}
	if err := inv.Check(s.now()); err != nil {
		return nil, err
	}
	return inv, nil
}

func (s *Server) renderInvite(c echo.Context, status int, inv *assessment.MemberInvitation, name, problem string) error {
	p := views.InvitePage{Page: s.page(c, "ws.login.title"), Action: "/invite/" + c.Param("token"), Workspace: inv.Workspace, Email: inv.Email,
		Name: name, MinPassword: assessment.MinPassword, Error: problem}
	p.Title = p.F("invite.title", views.Args{"Workspace": inv.Workspace})
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return render(c, status, views.Invite(p))
}

func (s *Server) renderInviteProblem(c echo.Context, err error) error {
	code := assessment.ErrorCode(err)
	if code != assessment.ENOTFOUND && code != assessment.EGONE {
		return err
	}
	p := views.InvitePage{Page: s.page(c, "invite.gone.title"), Problem: loc(c).Error(err)}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, statusOf[code], views.Invite(p))
}

// acceptInvite makes the account of a pending invitation and signs its holder in. The link's
// token is the credential (128 bits, unguessable), so the form needs no CSRF token of its
// own: a forged post would have to know it.
func (s *Server) acceptInvite(c echo.Context) error {
	inv, err := s.invitationOfLink(c)
	if err != nil {
		return s.renderInviteProblem(c, err)
	}
	name, pw := c.FormValue("name"), c.FormValue("password")
	_, err = assessment.NewUser(inv.Email, name, inv.Role)
	if perr := assessment.CheckPassword(pw); err == nil {
		err = perr
	} else if perr != nil {
		err = assessment.Invalid(append(assessment.FieldErrors(err), assessment.FieldErrors(perr)...))
	}
	if err != nil {
		return s.renderInvite(c, http.StatusUnprocessableEntity, inv, name, memberError(loc(c), err))
	}
	ctx := c.Request().Context()
	hash, err := auth.HashPassword(ctx, pw)
	if err != nil {
		return err
	}
	u, inv, err := s.db.mail.AcceptMemberInvitation(ctx, auth.HashToken(c.Param("token")), name, hash, s.now())
	switch assessment.ErrorCode(err) {
	case "":
	case assessment.ECONFLICT:
		return s.renderInvite(c, http.StatusConflict, inv, name, memberError(loc(c), err))
	default:
		return s.renderInviteProblem(c, err)
	}
	c.Set(userKey, u)
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditInvitationAccepted, Target: assessment.AuditTarget(assessment.TargetInvitation, inv.ID)})
	return s.signIn(c, u, "/w")
}

// The API (docs/api.md): the same, for an admin's API token.

type apiInvitationIn struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

type apiInvitationOut struct {
	ID        int64  `json:"id"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	ExpiresAt string `json:"expires_at"`
}

func toAPIInvitation(inv *assessment.MemberInvitation) apiInvitationOut {
	return apiInvitationOut{ID: inv.ID, Email: inv.Email, Role: assessment.InviteRoleName(inv.Role), ExpiresAt: inv.ExpiresAt.UTC().Format(time.RFC3339)}
}

func (s *Server) apiCreateInvitation(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	var in apiInvitationIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	inv, err := s.invite(c, in.Email, in.Role)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/invitations/%d", inv.ID))
	return c.JSON(http.StatusCreated, toAPIInvitation(inv))
}

func (s *Server) apiListMemberInvitations(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	invs, err := s.db.mail.MemberInvitations(c.Request().Context(), currentUser(c).WorkspaceID, s.now())
	if err != nil {
		return err
	}
	out := make([]apiInvitationOut, len(invs))
	for i := range invs {
		out[i] = toAPIInvitation(&invs[i])
	}
	return c.JSON(http.StatusOK, map[string]any{"invitations": out})
}

// apiGetMemberInvitation answers one pending invitation; one that is no longer pending, or
// another workspace's, is 404.
func (s *Server) apiGetMemberInvitation(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	inv, err := s.db.mail.MemberInvitation(c.Request().Context(), currentUser(c).WorkspaceID, id)
	if err != nil {
		return err
	}
	if !inv.Pending(s.now()) {
		return assessment.ErrInviteNotFound
	}
	return c.JSON(http.StatusOK, toAPIInvitation(inv))
}

func (s *Server) apiRevokeMemberInvitation(c echo.Context) error {
	if _, err := s.revokeInvitationOf(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
