package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the audit log: s.audit is the one call every handler makes to record what a
// member did (assessment.AuditActions names it); admins read their workspace's log on
// /w/audit and at GET /api/v1/audit.

// audit records e for the request c: unless e says otherwise, the workspace and actor are
// the signed-in member, the time is now and the address is the client's (c.RealIP, which
// trusts X-Forwarded-For only behind a proxy the operator named). It is called after the
// action succeeded; a failure to record is logged and counted, not shown to the member, whose
// action is done by then.
func (s *Server) audit(c echo.Context, e assessment.AuditEvent) {
	if u := currentUser(c); u != nil && e.ActorID == 0 && e.WorkspaceID == 0 {
		e.WorkspaceID, e.ActorID, e.ActorName, e.Scope = u.WorkspaceID, u.ID, u.Name, auditScope(u)
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	if e.Address == "" {
		e.Address = c.RealIP()
	}
	// The action is done: record it even if the client has gone away meanwhile.
	ctx := context.WithoutCancel(c.Request().Context())
	if err := s.db.audit.RecordAudit(ctx, &e); err != nil {
		s.log.ErrorContext(ctx, "audit event not recorded", "action", e.Action, "workspace", e.WorkspaceID, "err", err)
	}
}

// auditScope is the log an event of u belongs in: the operator audit log for an operator,
// the workspace's otherwise.
func auditScope(u *assessment.User) string {
	if u != nil && u.IsOperator() {
		return assessment.AuditScopeOperator
	}
	return ""
}

// auditPaging reads ?before= (an event id; none: the newest) and ?limit= (1 to
// assessment.MaxAuditPage, default assessment.AuditPageSize).
func auditPaging(c echo.Context) (before int64, limit int, err error) {
	limit = assessment.AuditPageSize
	var problems []assessment.FieldError
	if v := c.QueryParam("before"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before < 1 {
			problems = append(problems, assessment.FieldError{Field: "before", Rule: assessment.RuleInteger, Args: assessment.Args{"Value": strconv.Quote(v)}})
		}
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > assessment.MaxAuditPage {
			problems = append(problems, assessment.FieldError{Field: "limit", Rule: assessment.RuleRange,
				Args: assessment.Args{"Value": strconv.Quote(v), "Min": 1, "Max": assessment.MaxAuditPage}})
		}
		limit = n
	}
	if len(problems) > 0 {
		return 0, 0, assessment.Invalid(problems)
	}
	return before, limit, nil
}

// auditEvents reads one page of the signed-in admin's workspace log, and the id to ask for
// the next page with (0 on the last page). A consultant is refused (403) first.
func (s *Server) auditEvents(c echo.Context) ([]assessment.AuditEvent, int64, error) {
	if err := requireAdmin(c); err != nil {
		return nil, 0, err
	}
	before, limit, err := auditPaging(c)
	if err != nil {
		return nil, 0, err
	}
	// One more than the page tells whether there is a next page without a second query.
	es, err := s.db.audit.AuditEvents(c.Request().Context(), currentUser(c).WorkspaceID, before, limit+1)
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(es) > limit {
		es = es[:limit]
		next = es[limit-1].ID
	}
	return es, next, nil
}

// auditPage is /w/audit: the workspace's log for its admins, newest first, fifty a page.
func (s *Server) auditPage(c echo.Context) error {
	es, next, err := s.auditEvents(c)
	if err != nil {
		return err
	}
	l := loc(c)
	p := views.AuditPage{WSPage: s.wsPage(c, "ws.audit.title"), First: c.QueryParam("before") == "", Path: "/w/audit",
		HeadingKey: "ws.audit.title", LeadKey: "ws.audit.lead"}
	p.Section = "audit"
	if next != 0 {
		p.Next = "/w/audit?before=" + strconv.FormatInt(next, 10)
	}
	p.Events = auditRows(l, es)
	return render(c, http.StatusOK, views.Audit(p))
}

// auditRows are the rows of a page of the log.
func auditRows(l views.Loc, es []assessment.AuditEvent) []views.AuditRow {
	var out []views.AuditRow
	for _, e := range es {
		out = append(out, views.AuditRow{
			At:       e.At.UTC().Format(time.RFC3339),
			When:     formatDateTime(l, e.At),
			Actor:    e.ActorName,
			Action:   auditActionLabel(l, e.Action),
			Code:     e.Action,
			Target:   auditTargetLabel(l, e.Target),
			Address:  e.Address,
			Failure:  e.Action == assessment.AuditSignInFailed,
			Security: isSecurityAction(e.Action),
		})
	}
	return out
}

// formatDateTime writes a time as the audit log shows it: the date the language's way and
// the time of day on a 24-hour clock, in UTC (the server does not know the reader's zone;
// the page says UTC).
func formatDateTime(l views.Loc, t time.Time) string {
	t = t.UTC()
	return formatDate(l, t) + " " + t.Format("15:04:05")
}

// auditActionLabel translates an action; an action this program does not know (recorded by
// a newer one) shows as its code.
func auditActionLabel(l views.Loc, action string) string {
	if key := "audit.action." + action; l.Has(key) {
		return l.T(key)
	}
	return action
}

// auditTargetLabel translates a target "member:12" as "Member #12"; one without a known
// kind shows as recorded.
func auditTargetLabel(l views.Loc, target string) string {
	for i := range len(target) {
		if target[i] == ':' {
			if key := "audit.target." + target[:i]; l.Has(key) {
				return l.F(key, views.Args{"ID": target[i+1:]})
			}
			break
		}
	}
	return target
}

func isSecurityAction(a string) bool {
	switch a {
	case assessment.AuditPasswordChanged, assessment.AuditPasswordReset, assessment.AuditSecondFactorAdded,
		assessment.AuditSecondFactorRemoved, assessment.AuditRecoveryCodeUsed, assessment.AuditRoleChanged,
		assessment.AuditRequireSecondFactor, assessment.AuditAllowOneFactor:
		return true
	}
	return false
}

// apiAuditEvent is an event as GET /api/v1/audit answers it.
type apiAuditEvent struct {
	ID        int64  `json:"id"`
	At        string `json:"at"`
	Action    string `json:"action"`
	ActorID   *int64 `json:"actor_id"`
	ActorName string `json:"actor_name"`
	Target    string `json:"target"`
	Address   string `json:"address"`
}

// apiAudit is GET /api/v1/audit: the workspace's log for an admin's token, newest first;
// next_before is the ?before= of the next page, null on the last.
func (s *Server) apiAudit(c echo.Context) error {
	es, next, err := s.auditEvents(c)
	if err != nil {
		return err
	}
	out := make([]apiAuditEvent, 0, len(es))
	for _, e := range es {
		a := apiAuditEvent{ID: e.ID, At: e.At.UTC().Format(time.RFC3339), Action: e.Action, ActorName: e.ActorName, Target: e.Target, Address: e.Address}
		if e.ActorID != 0 {
			id := e.ActorID
			a.ActorID = &id
		}
		out = append(out, a)
	}
	var nextBefore *int64
	if next != 0 {
		nextBefore = &next
	}
	return c.JSON(http.StatusOK, map[string]any{"events": out, "next_before": nextBefore})
}
