package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is member management: every member sees the list; an admin adds members,
// changes their roles and removes them, under the rules of assessment.CheckRemoveMember and
// assessment.CheckRoleChange, which the store checks again inside its transaction.

// membersDone maps the ?done= of the page after a change to its confirmation.
var membersDone = map[string]string{
	"added":   "ws.members.added",
	"removed": "ws.members.removed",
	"role":    "ws.members.role_changed",
}

func (s *Server) membersPage(c echo.Context) error {
	p := views.MembersPage{}
	if key, ok := membersDone[c.QueryParam("done")]; ok {
		p.Notice = loc(c).T(key)
	}
	if n := s.invitationNotice(c); n != "" {
		p.Notice = n
	}
	return s.renderMembers(c, http.StatusOK, p)
}

// renderMembers shows the members with the actions the rules allow the viewer, and form
// (the add form's input and the page's messages).
func (s *Server) renderMembers(c echo.Context, status int, form views.MembersPage) error {
	u := currentUser(c)
	ms, err := s.db.accounts.Members(c.Request().Context(), u.WorkspaceID)
	if err != nil {
		return err
	}
	admins := countAdmins(ms)
	var factors map[int64]bool
	if u.IsAdmin() {
		if factors, err = s.db.factors.MembersWithSecondFactor(c.Request().Context(), u.WorkspaceID); err != nil {
			return err
		}
	}
	p := form
	if p.Invitations, err = s.invitationRows(c); err != nil {
		return err
	}
	p.WSPage = s.wsPage(c, "ws.members.title")
	p.Section = "members"
	p.Members = nil
	for _, m := range ms {
		other := assessment.RoleAdmin
		if m.IsAdmin() {
			other = assessment.RoleConsultant
		}
		p.Members = append(p.Members, views.MemberRow{ID: m.ID, Name: m.Name, Email: m.Email, Admin: m.IsAdmin(), Self: m.ID == u.ID,
			CanRemove:     assessment.CheckRemoveMember(u, &m, admins) == nil,
			CanChangeRole: assessment.CheckRoleChange(u, &m, other, admins) == nil, SecondFactor: factors[m.ID]})
	}
	return render(c, status, views.Members(p))
}

func countAdmins(ms []assessment.User) int {
	n := 0
	for _, m := range ms {
		if m.IsAdmin() {
			n++
		}
	}
	return n
}

// requireAdmin refuses a consultant (403) before anything about the member named is looked
// up, so a consultant learns nothing from the answer.
func requireAdmin(c echo.Context) error {
	if !currentUser(c).IsAdmin() {
		return assessment.ErrAdminOnly
	}
	return nil
}

// member loads the member named by :id from the viewer's workspace (another workspace's
// member is ENOTFOUND) and counts the workspace's admins.
func (s *Server) member(c echo.Context) (*assessment.User, int, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, 0, err
	}
	ms, err := s.db.accounts.Members(c.Request().Context(), currentUser(c).WorkspaceID)
	if err != nil {
		return nil, 0, err
	}
	for i := range ms {
		if ms[i].ID == id {
			return &ms[i], countAdmins(ms), nil
		}
	}
	return nil, 0, assessment.ErrNoMember
}

// memberProblem returns the sentence of a refusal of the member rules (removing oneself, the
// last admin), which the page shows beside the list, or "" when err is not one. The sentence
// comes from the one error path, the same the API answers with.
func memberProblem(l views.Loc, err error) string {
	if errors.Is(err, assessment.ErrRemoveSelf) || errors.Is(err, assessment.ErrLastAdmin) {
		return l.Error(err)
	}
	return ""
}

// addMember lets a workspace admin add a member with an initial password. A consultant
// may not: 403.
func (s *Server) addMember(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	u := currentUser(c)
	role := assessment.RoleConsultant
	if c.FormValue("admin") == "1" {
		role = assessment.RoleAdmin
	}
	form := views.MembersPage{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: role}
	m, err := assessment.NewUser(form.Email, form.Name, role)
	// Report a weak password together with the other problems, not one at a time.
	if perr := assessment.CheckPassword(c.FormValue("password")); err == nil {
		err = perr
	} else if perr != nil {
		err = assessment.Invalid(append(assessment.FieldErrors(err), assessment.FieldErrors(perr)...))
	}
	if err == nil {
		var hash string
		if hash, err = auth.HashPassword(c.Request().Context(), c.FormValue("password")); err != nil {
			return err
		}
		err = s.db.accounts.CreateUser(c.Request().Context(), u.WorkspaceID, &m, hash)
	}
	switch assessment.ErrorCode(err) {
	case "":
		s.audit(c, assessment.AuditEvent{Action: assessment.AuditMemberAdded, Target: assessment.AuditTarget(assessment.TargetMember, m.ID)})
		return c.Redirect(http.StatusSeeOther, "/w/members?done=added")
	case assessment.EINVALID, assessment.ECONFLICT:
		form.Error = memberError(loc(c), err)
		return s.renderMembers(c, http.StatusUnprocessableEntity, form)
	}
	return err
}

// memberError translates why a new member could not be added: every field's problem, or
// the error's own sentence (an address that already has an account names it).
func memberError(l views.Loc, err error) string {
	var msgs []string
	for _, fe := range assessment.FieldErrors(err) {
		msgs = append(msgs, l.Hint(fe))
	}
	if len(msgs) == 0 {
		return l.Error(err)
	}
	return strings.Join(msgs, " ")
}

// setMemberRole makes a member an admin or a consultant. A refusal of the rules (demoting
// the last admin) re-shows the list with the reason and 409.
func (s *Server) setMemberRole(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	m, _, err := s.member(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	_, err = s.db.accounts.SetMemberRole(c.Request().Context(), u.WorkspaceID, u.ID, m.ID, c.FormValue("role"))
	if msg := memberProblem(loc(c), err); msg != "" {
		return s.renderMembers(c, http.StatusConflict, views.MembersPage{ActionError: msg})
	}
	if err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditRoleChanged, Target: assessment.AuditTarget(assessment.TargetMember, m.ID)})
	return c.Redirect(http.StatusSeeOther, "/w/members?done=role")
}

// removeMemberPage asks for confirmation before a member is removed, or says why they
// cannot be (409).
func (s *Server) removeMemberPage(c echo.Context, m *assessment.User, status int, msg string, allowed bool) error {
	p := views.MemberRemovePage{WSPage: s.wsPage(c, "ws.members.remove"), ID: m.ID, Name: m.Name, Email: m.Email, Error: msg, Allowed: allowed}
	p.Section = "members"
	return render(c, status, views.MemberRemove(p))
}

func (s *Server) removeMemberForm(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	m, admins, err := s.member(c)
	if err != nil {
		return err
	}
	if err := assessment.CheckRemoveMember(currentUser(c), m, admins); err != nil {
		if msg := memberProblem(loc(c), err); msg != "" {
			return s.removeMemberPage(c, m, http.StatusConflict, msg, false)
		}
		return err
	}
	return s.removeMemberPage(c, m, http.StatusOK, "", true)
}

// removeMember removes a member, with their sessions and API tokens, once the confirmation
// box is ticked.
func (s *Server) removeMember(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	m, _, err := s.member(c)
	if err != nil {
		return err
	}
	l := loc(c)
	if c.FormValue("confirm") != "yes" {
		return s.removeMemberPage(c, m, http.StatusUnprocessableEntity, l.T("ws.delete.unconfirmed"), true)
	}
	u := currentUser(c)
	_, err = s.db.accounts.RemoveMember(c.Request().Context(), u.WorkspaceID, u.ID, m.ID)
	if msg := memberProblem(l, err); msg != "" {
		return s.removeMemberPage(c, m, http.StatusConflict, msg, false)
	}
	if err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditMemberRemoved, Target: assessment.AuditTarget(assessment.TargetMember, m.ID)})
	return c.Redirect(http.StatusSeeOther, "/w/members?done=removed")
}
