package web

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// The operator console (/ops): for operator accounts only, every one with a second factor.
// A member's session gets 404, as for any address that is not theirs: the console's
// existence is nothing a consultant needs to learn. Waits for approval is in
// ops_approval.go; the pool's health, the workspaces, the outbox and the operator audit log
// are here. No page of the console reads a rating or a client's name.

// opsPageSize bounds the console's long lists (workspaces' members are listed whole).
const opsPageSize = 100

// requireOperator lets only an operator's session through (after requireSession); anyone
// else gets 404. An operator without a second factor is sent to set one up (the account
// page), and anything but a page is 403.
func (s *Server) requireOperator(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil || !u.IsOperator() {
			return assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
		}
		f, err := s.db.factors.SecondFactors(c.Request().Context(), u.ID)
		if err != nil {
			return err
		}
		if assessment.MustSetUpOperatorFactor(f) {
			if m := c.Request().Method; m == http.MethodGet || m == http.MethodHead {
				return c.Redirect(http.StatusSeeOther, "/w/account")
			}
			return assessment.ErrOperatorFactor
		}
		return next(c)
	}
}

// opsAudit records an operator's action in the operator audit log.
func (s *Server) opsAudit(c echo.Context, action, target string) {
	s.audit(c, assessment.AuditEvent{Action: action, Target: target, Scope: assessment.AuditScopeOperator})
}

func (s *Server) opsPage(c echo.Context, title, section string) views.WSPage {
	p := s.wsPage(c, title)
	p.Section = section
	p.Stylesheet = "css/ops.css"
	return p
}

// opsHome is /ops: the first section.
func (s *Server) opsHome(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/ops/approvals")
}

// formatWhen writes a time as the console shows it, or a dash for none.
func formatWhen(l views.Loc, t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return formatDateTime(l, t)
}

// opsPool is /ops/pool: the live pool per questionnaire version, and per peer group of the
// current version its companies now, what the latest release shows and what the next
// release would do and why (a preview of assessment.PlanRelease; nothing is stored).
func (s *Server) opsPool(c echo.Context) error {
	ctx, l := c.Request().Context(), loc(c)
	h, err := s.db.console.PoolHealth(ctx, s.q.Version)
	if err != nil {
		return err
	}
	versions, err := s.db.console.PoolVersions(ctx)
	if err != nil {
		return err
	}
	p := views.PoolHealthPage{WSPage: s.opsPage(c, "ops.pool.title", "pool"), Version: h.Version, Companies: h.Companies}
	for _, v := range slices.Sorted(maps.Keys(versions)) {
		p.Versions = append(p.Versions, views.OpsCount{Key: v, Label: l.F("ops.pool.version", views.Args{"Version": v}), Count: versions[v]})
	}
	p.LastRelease = l.T("ops.pool.last.none")
	if h.Status.Latest != 0 {
		p.LastRelease = formatDateTime(l, h.Status.MadeAt)
	}
	switch next := h.NextRelease(); {
	case next.IsZero() || !next.After(s.now()):
		p.NextRelease = l.T("ops.pool.next.due")
	default:
		p.NextRelease = formatDateTime(l, next)
	}
	for _, g := range h.Groups {
		label := s.groupLabel(l, g.Group, profileFor(g.Group, g.Value))
		if g.Group == assessment.GroupWorkspace {
			label += " · #" + g.Value
		}
		p.Groups = append(p.Groups, views.OpsGroup{Label: label, Live: g.Live, Published: g.Published, Shown: g.Published > 0,
			Next: g.Reason, Reason: l.F("ops.pool.reason."+g.Reason, views.Args{"Min": assessment.MinPeers})})
	}
	return render(c, http.StatusOK, views.PoolHealth(p))
}

// opsWorkspaces is /ops/workspaces.
func (s *Server) opsWorkspaces(c echo.Context) error {
	return s.renderWorkspaces(c, http.StatusOK, views.WorkspacesPage{MailLang: loc(c).Lang})
}

func (s *Server) renderWorkspaces(c echo.Context, status int, p views.WorkspacesPage) error {
	l := loc(c)
	sums, err := s.db.console.WorkspaceSummaries(c.Request().Context())
	if err != nil {
		return err
	}
	p.WSPage = s.opsPage(c, "ops.workspaces.title", "workspaces")
	if done := c.QueryParam("done"); done != "" && status == http.StatusOK {
		if key := map[string]string{"created": "ops.workspaces.created.notice", "suspended": "ops.workspaces.suspended.notice", "resumed": "ops.workspaces.resumed.notice"}[done]; key != "" {
			p.Notice = l.T(key)
		}
	}
	for _, w := range sums {
		p.Workspaces = append(p.Workspaces, s.opsWorkspace(l, w))
	}
	for _, lang := range views.Languages {
		p.Languages = append(p.Languages, views.Choice{Value: lang.Code, Label: lang.Name})
	}
	return render(c, status, views.Workspaces(p))
}

func (s *Server) opsWorkspace(l views.Loc, w assessment.WorkspaceSummary) views.OpsWorkspace {
	return views.OpsWorkspace{ID: w.ID, Name: w.Name, Members: w.Members, Clients: w.Clients, Rounds: w.Rounds, Participants: w.Participants,
		LastActivity: formatWhen(l, w.LastActivity), Created: formatDate(l, w.CreatedAt), Suspended: w.Suspended(), SuspendedAt: formatWhen(l, w.SuspendedAt)}
}

// createWorkspace is POST /ops/workspaces: a workspace and the invitation of its first admin
// by email, as "loyalty workspace create" makes them. Bad input re-shows the form with the
// reason (422), an address that has an account 409; nothing is stored then.
func (s *Server) createWorkspace(c echo.Context) error {
	ctx, l := c.Request().Context(), loc(c)
	form := views.WorkspacesPage{Name: c.FormValue("name"), AdminEmail: c.FormValue("admin_email"), MailLang: c.FormValue("lang")}
	if !slices.ContainsFunc(views.Languages, func(x views.Language) bool { return x.Code == form.MailLang }) {
		form.MailLang = l.Lang
	}
	name, fes := assessment.CleanText("name", form.Name, assessment.MaxWorkspaceName)
	if len(fes) > 0 || name == "" {
		form.NameError = l.Error(assessment.NewError(assessment.EINVALID, assessment.MsgWorkspaceName, assessment.Args{"Max": assessment.MaxWorkspaceName}))
	}
	inv, err := assessment.NewMemberInvitation(form.AdminEmail, assessment.RoleAdmin, form.MailLang, s.now())
	if err != nil {
		form.EmailError = memberError(l, err)
	}
	if form.NameError != "" || form.EmailError != "" {
		return s.renderWorkspaces(c, http.StatusUnprocessableEntity, form)
	}
	// An address with an account is refused before the workspace is made: nothing half-stored.
	if _, _, err := s.db.accounts.UserByEmail(ctx, inv.Email); err == nil {
		form.EmailError = l.Error(assessment.NewError(assessment.ECONFLICT, assessment.MsgMemberExists, assessment.Args{"Email": inv.Email}))
		return s.renderWorkspaces(c, http.StatusConflict, form)
	} else if assessment.ErrorCode(err) != assessment.ENOTFOUND {
		return err
	}
	ws, err := s.db.console.EnsureWorkspace(ctx, name)
	if err != nil {
		return err
	}
	link, hash := s.inviteLink(c)
	ml := views.Loc{Lang: inv.Lang}
	m, err := ml.InvitationMail(inv.Email, ml.T("mail.invite.operator"), ws.Name, link)
	if err != nil {
		return err
	}
	if err := s.db.mail.CreateMemberInvitation(ctx, ws.ID, &inv, hash, &m); err != nil {
		if assessment.ErrorCode(err) == assessment.ECONFLICT {
			form.EmailError = l.Error(err)
			return s.renderWorkspaces(c, http.StatusConflict, form)
		}
		return err
	}
	s.wakeMail()
	s.opsAudit(c, assessment.AuditWorkspaceCreated, assessment.AuditTarget(assessment.TargetWorkspace, ws.ID))
	return c.Redirect(http.StatusSeeOther, "/ops/workspaces?done=created")
}

// opsWorkspacePage is /ops/workspaces/{id}: its usage and its members.
func (s *Server) opsWorkspacePage(c echo.Context) error {
	ctx, l := c.Request().Context(), loc(c)
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	members, err := s.db.console.WorkspaceMembers(ctx, id)
	if err != nil {
		return err
	}
	sums, err := s.db.console.WorkspaceSummaries(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(sums, func(w assessment.WorkspaceSummary) bool { return w.ID == id })
	if i < 0 {
		return assessment.ErrNoWorkspace
	}
	p := views.OpsWorkspacePage{WSPage: s.opsPage(c, "ops.workspaces.title", "workspaces"), Workspace: s.opsWorkspace(l, sums[i])}
	p.Title = sums[i].Name
	for _, m := range members {
		p.Members = append(p.Members, views.OpsMember{Name: m.Name, Email: m.Email, Role: l.T("ws.role." + m.Role),
			SecondFactor: m.SecondFactor, LastSignIn: formatWhen(l, m.LastSignIn)})
	}
	return render(c, http.StatusOK, views.OpsWorkspaceView(p))
}

// suspendWorkspace is POST /ops/workspaces/{id}/suspend: its members' sessions end at once,
// and neither sign-in nor API tokens work until it is resumed.
func (s *Server) suspendWorkspace(c echo.Context) error { return s.setSuspended(c, true) }

// resumeWorkspace is POST /ops/workspaces/{id}/resume.
func (s *Server) resumeWorkspace(c echo.Context) error { return s.setSuspended(c, false) }

func (s *Server) setSuspended(c echo.Context, suspended bool) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ws, err := s.db.console.SetWorkspaceSuspended(c.Request().Context(), id, suspended)
	if err != nil {
		return err
	}
	action, done := assessment.AuditWorkspaceResume, "resumed"
	if suspended {
		action, done = assessment.AuditWorkspaceSuspend, "suspended"
	}
	s.opsAudit(c, action, assessment.AuditTarget(assessment.TargetWorkspace, ws.ID))
	return c.Redirect(http.StatusSeeOther, "/ops/workspaces?done="+done)
}

// opsOutbox is /ops/outbox: counts by state, and the failed and retrying messages without
// their addresses (beyond the domain) or bodies.
func (s *Server) opsOutbox(c echo.Context) error {
	l := loc(c)
	counts, msgs, err := s.db.console.OutboxState(c.Request().Context(), opsPageSize)
	if err != nil {
		return err
	}
	p := views.OutboxPage{WSPage: s.opsPage(c, "ops.outbox.title", "outbox")}
	for _, st := range assessment.OutboxStates {
		p.Counts = append(p.Counts, views.OpsCount{Key: st, Label: l.T("ops.outbox.state." + st), Count: counts[st]})
	}
	for _, m := range msgs {
		state := assessment.OutboxFailed
		next := "–"
		if m.Retrying {
			state, next = assessment.OutboxRetrying, formatWhen(l, m.NextAt)
		}
		p.Messages = append(p.Messages, views.OpsMail{Kind: m.Kind, State: l.T("ops.outbox.state." + state), Attempts: m.Attempts,
			LastError: m.LastError, NextAt: next, Domain: m.RecipientHost})
	}
	return render(c, http.StatusOK, views.Outbox(p))
}

// opsAuditPage is /ops/audit: the operator audit log, newest first, fifty a page.
func (s *Server) opsAuditPage(c echo.Context) error {
	before, limit, err := auditPaging(c)
	if err != nil {
		return err
	}
	es, err := s.db.console.OperatorAuditEvents(c.Request().Context(), before, limit+1)
	if err != nil {
		return err
	}
	l := loc(c)
	p := views.AuditPage{WSPage: s.opsPage(c, "ops.audit.title", "audit"), First: c.QueryParam("before") == "", Path: "/ops/audit",
		HeadingKey: "ops.audit.title", LeadKey: "ops.audit.lead"}
	if len(es) > limit {
		es = es[:limit]
		p.Next = fmt.Sprintf("/ops/audit?before=%d", es[limit-1].ID)
	}
	p.Events = auditRows(l, es)
	return render(c, http.StatusOK, views.Audit(p))
}

// parseTestID reads the :id of a test in the approvals' routes.
func parseTestID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, assessment.NewError(assessment.ENOTFOUND, assessment.MsgAssessmentNotFound, nil)
	}
	return id, nil
}
