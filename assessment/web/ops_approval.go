package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// The console's "waits for approval" (/ops/approvals): the five-minute tests whose
// respondents consented to the benchmark and that no operator has approved or rejected, with
// their profiles (company, industry, size band, country, date; never a rating), and the
// approved ones to take out again. It is built on the per-test verification of the pool
// (sqlstore/pool.go, "loyalty pool pending/verify/unverify"), as its own page and handlers,
// so that approval per email domain can take its place.

// approvalsPage is GET /ops/approvals.
func (s *Server) approvalsPage(c echo.Context) error {
	return s.renderApprovals(c, http.StatusOK, "")
}

func (s *Server) renderApprovals(c echo.Context, status int, problem string) error {
	ctx, l := c.Request().Context(), loc(c)
	pending, err := s.db.console.PendingAssessments(ctx, s.q.Version)
	if err != nil {
		return err
	}
	verified, err := s.db.console.VerifiedAssessments(ctx, s.q.Version, opsPageSize)
	if err != nil {
		return err
	}
	p := views.ApprovalsPage{WSPage: s.opsPage(c, "ops.approvals.title", "approvals"), Version: s.q.Version, Error: problem}
	if done := c.QueryParam("done"); done != "" && status == http.StatusOK {
		if key := map[string]string{"approved": "ops.approvals.approved", "rejected": "ops.approvals.rejected", "unverified": "ops.approvals.unverified", "kept": "ops.approvals.kept"}[done]; key != "" {
			p.Notice = l.T(key)
		}
	}
	if len(pending) > opsPageSize {
		pending = pending[:opsPageSize] // oldest first: the longest waiting come first
	}
	for _, a := range pending {
		p.Pending = append(p.Pending, s.opsTest(l, a))
	}
	for _, a := range verified {
		p.Verified = append(p.Verified, s.opsTest(l, a))
	}
	return render(c, status, views.Approvals(p))
}

// opsTest is a test's profile as the console shows it.
func (s *Server) opsTest(l views.Loc, a assessment.Assessment) views.OpsTest {
	t := views.OpsTest{ID: a.ID, Company: a.Company.Name, Industry: a.Company.Industry, Size: a.Company.Size, Country: a.Company.Country,
		At: a.CreatedAt.UTC().Format(time.RFC3339), Date: formatDate(l, a.CreatedAt)}
	if o, ok := s.q.Industry(a.Company.Industry); ok {
		t.Industry = l.Text(o.Name)
	}
	if o, ok := s.q.SizeBand(a.Company.Size); ok {
		t.Size = l.Text(o.Name)
	}
	return t
}

// approveTest is POST /ops/approvals/{id}/approve: the test enters the pool (from the next
// release), as "loyalty pool verify" does. A test without consent or on another
// questionnaire version is refused (409) and nothing changes.
func (s *Server) approveTest(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := parseTestID(c)
	if err != nil {
		return err
	}
	a, err := s.db.console.AssessmentByID(ctx, id)
	if err != nil {
		return err
	}
	if !a.BenchmarkConsent || a.QuestionnaireVersion != s.q.Version {
		return s.renderApprovals(c, http.StatusConflict, loc(c).Error(assessment.NewError(assessment.ECONFLICT, assessment.MsgTestNotPending, nil)))
	}
	in, err := s.db.console.VerifyAssessment(ctx, s.q, id)
	if err != nil {
		return err
	}
	s.opsAudit(c, assessment.AuditTestApproved, assessment.AuditTarget(assessment.TargetResult, id))
	if !in {
		// A later result of the same company is in the pool already: it counts instead.
		return c.Redirect(http.StatusSeeOther, "/ops/approvals?done=kept")
	}
	return c.Redirect(http.StatusSeeOther, "/ops/approvals?done=approved")
}

// rejectTest is POST /ops/approvals/{id}/reject: the test waits no more and never counts
// (unless approved by its id later).
func (s *Server) rejectTest(c echo.Context) error {
	id, err := parseTestID(c)
	if err != nil {
		return err
	}
	if err := s.db.console.RejectAssessment(c.Request().Context(), id); err != nil {
		if assessment.ErrorCode(err) == assessment.ECONFLICT {
			return s.renderApprovals(c, http.StatusConflict, loc(c).Error(err))
		}
		return err
	}
	s.opsAudit(c, assessment.AuditTestRejected, assessment.AuditTarget(assessment.TargetResult, id))
	return c.Redirect(http.StatusSeeOther, "/ops/approvals?done=rejected")
}

// unverifyTest is POST /ops/approvals/{id}/unverify: the test leaves the pool and every
// release snapshot, as "loyalty pool unverify" does.
func (s *Server) unverifyTest(c echo.Context) error {
	id, err := parseTestID(c)
	if err != nil {
		return err
	}
	was, err := s.db.console.UnverifyAssessment(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !was {
		return s.renderApprovals(c, http.StatusConflict, loc(c).Error(assessment.NewError(assessment.ECONFLICT, assessment.MsgTestNotVerified, nil)))
	}
	s.opsAudit(c, assessment.AuditTestUnverified, assessment.AuditTarget(assessment.TargetResult, id))
	return c.Redirect(http.StatusSeeOther, "/ops/approvals?done=unverified")
}
