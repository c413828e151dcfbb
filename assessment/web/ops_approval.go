package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// The console's "waits for approval" (/ops/approvals). It leads with the company domains
// waiting for the operator's one approval (store.Domains, "loyalty pool approve-domain /
// reject-domain"): each with when it was first seen and its confirmed tests' profiles
// (company, industry, size band, country, dates; never a rating or an address). Below them,
// the consenting tests without a domain, verified one by one by name (sqlstore/pool.go,
// "loyalty pool pending/verify/unverify"), and the approved ones to take out again. Each
// waiting list shows the oldest opsPageSize and says how many more wait.

// approvalsPage is GET /ops/approvals.
func (s *Server) approvalsPage(c echo.Context) error {
	return s.renderApprovals(c, http.StatusOK, "")
}

func (s *Server) renderApprovals(c echo.Context, status int, problem string) error {
	ctx, l := c.Request().Context(), loc(c)
	domains, err := s.db.domains.PendingDomains(ctx, s.q.Version)
	if err != nil {
		return err
	}
	pending, err := s.db.console.PendingAssessments(ctx, s.q.Version)
	if err != nil {
		return err
	}
	// A test confirmed by work email waits with its domain, not by itself.
	pending = slices.DeleteFunc(pending, func(a assessment.Assessment) bool { return a.VerifiedDomain != "" })
	verified, err := s.db.console.VerifiedAssessments(ctx, s.q.Version, opsPageSize)
	if err != nil {
		return err
	}
	approved, approvedTotal, err := s.db.domains.ApprovedDomains(ctx, s.q.Version, opsPageSize)
	if err != nil {
		return err
	}
	p := views.ApprovalsPage{WSPage: s.opsPage(c, "ops.approvals.title", "approvals"), Version: s.q.Version, Error: problem}
	if done := c.QueryParam("done"); done != "" && status == http.StatusOK {
		if key := map[string]string{"approved": "ops.approvals.approved", "rejected": "ops.approvals.rejected", "unverified": "ops.approvals.unverified", "kept": "ops.approvals.kept",
			"domain-approved": "ops.domains.approved", "domain-idle": "ops.domains.approved.idle", "domain-rejected": "ops.domains.rejected", "domain-removed": "ops.domains.rejected.removed"}[done]; key != "" {
			p.Notice = l.T(key)
		}
	}
	// Oldest first: the longest waiting come first, and the rest are counted.
	p.PendingTotal, p.DomainsTotal = len(pending), len(domains)
	pending, domains = pending[:min(len(pending), opsPageSize)], domains[:min(len(domains), opsPageSize)]
	for _, d := range domains {
		p.Domains = append(p.Domains, s.opsDomain(l, d))
	}
	p.ApprovedTotal = approvedTotal
	for _, d := range approved {
		p.Approved = append(p.Approved, s.opsDomain(l, d))
	}
	for _, a := range pending {
		p.Pending = append(p.Pending, s.opsTest(l, a))
	}
	for _, a := range verified {
		p.Verified = append(p.Verified, s.opsTest(l, a))
	}
	return render(c, status, views.Approvals(p))
}

// opsDomain is a company domain as the console shows it: when first seen, its tests' profiles.
func (s *Server) opsDomain(l views.Loc, d assessment.PendingDomain) views.OpsDomain {
	od := views.OpsDomain{Domain: d.Domain, FirstAt: d.FirstSeen.UTC().Format(time.RFC3339), FirstSeen: formatDate(l, d.FirstSeen)}
	for _, a := range d.Tests {
		od.Tests = append(od.Tests, s.opsTest(l, a))
	}
	return od
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

// approveDomain is POST /ops/approvals/domains/{domain}/approve: the operator's one approval
// of a company, as "loyalty pool approve-domain" gives it. Its latest consenting test enters
// the pool (key domain:<d>, from the next release) and its later tests count when confirmed.
// A domain no test was confirmed for is 404.
func (s *Server) approveDomain(c echo.Context) error {
	d := c.Param("domain")
	in, err := s.db.domains.ApproveDomain(c.Request().Context(), s.q, d)
	if err != nil {
		return err
	}
	s.opsAudit(c, assessment.AuditDomainApproved, assessment.AuditDomainTarget(d))
	if !in {
		// No test of the domain can count yet (no consent, or another version).
		return c.Redirect(http.StatusSeeOther, "/ops/approvals?done=domain-idle")
	}
	return c.Redirect(http.StatusSeeOther, "/ops/approvals?done=domain-approved")
}

// rejectDomain is POST /ops/approvals/domains/{domain}/reject: none of the company's tests
// counts, and an entry it had leaves the pool and every release snapshot, as "loyalty pool
// reject-domain" does. A domain no test was confirmed for is 404.
func (s *Server) rejectDomain(c echo.Context) error {
	d := c.Param("domain")
	out, err := s.db.domains.RejectDomain(c.Request().Context(), d)
	if err != nil {
		return err
	}
	s.opsAudit(c, assessment.AuditDomainRejected, assessment.AuditDomainTarget(d))
	if out {
		return c.Redirect(http.StatusSeeOther, "/ops/approvals?done=domain-removed")
	}
	return c.Redirect(http.StatusSeeOther, "/ops/approvals?done=domain-rejected")
}
