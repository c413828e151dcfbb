package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is verification by work email (assessment/verification.go): the holder of a
// result types an address at their company, on the result page or through
// POST /api/v1/assessments/{token}/verification; a single-use link valid 24 hours goes there
// through the outbox, in the result's language; /verify/{token} shows a confirm button, and
// only its POST confirms (mail scanners follow links). The address is kept only in the
// outbox message, which erases it once sent; the result keeps the domain and the time. It
// needs a mail relay (-smtp): without one, nobody would receive the link, and the card and
// the endpoint are not there.

// Limits of verification links, in an hour: per result, per domain, per address, and per
// client address. A domain's limit is generous (a large company's executives may verify in
// the same hour) but stops one mailbox host from sending links in bulk.
const (
	maxVerifyResult  = 3
	maxVerifyDomain  = 30
	maxVerifyAddress = 3
	maxVerifyIP      = 10
	verifyWindow     = time.Hour
)

// verifyLimited is a verification refused by a rate limit; wait says for how long.
type verifyLimited struct{ wait time.Duration }

func (e verifyLimited) Error() string { return "verification: rate limited" }

// minutesOf is a wait in whole minutes, rounded up.
func minutesOf(d time.Duration) int { return int((d + time.Minute - 1) / time.Minute) }

// domainLists returns the domains verification refuses.
func (s *Server) domainLists() (*assessment.DomainLists, error) {
	if s.domains != nil {
		return s.domains, nil
	}
	return assessment.BuiltinDomainLists()
}

// verifiableResult returns the result with the request's token if it may be verified: the
// server sends email (else ENOTFOUND), the respondent consented, and it is not confirmed yet.
func (s *Server) verifiableResult(c echo.Context) (*assessment.Assessment, error) {
	if !s.mail.Delivers {
		return nil, assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
	}
	a, err := s.db.assessments.Assessment(c.Request().Context(), c.Param("token"))
	if err != nil {
		return nil, err
	}
	switch {
	case a.VerifiedDomain != "":
		return a, assessment.ErrAlreadyVerified
	case !a.BenchmarkConsent:
		return a, assessment.ErrVerifyNoConsent
	}
	return a, nil
}

// sendVerification checks the typed address, counts it against the limits and stores the
// link with its message. It returns the address and its domain.
func (s *Server) sendVerification(c echo.Context, a *assessment.Assessment, typed string) (addr, domain string, err error) {
	ctx := c.Request().Context()
	lists, err := s.domainLists()
	if err != nil {
		return "", "", err
	}
	if addr, domain, err = lists.WorkEmail(typed); err != nil {
		return addr, domain, err
	}
	var wait time.Duration
	for _, lk := range []struct {
		limit *auth.Limiter
		key   string
	}{{s.ws.verifyResultLimit, a.Token}, {s.ws.verifyDomainLimit, domain}, {s.ws.verifyAddressLimit, addr}, {s.ws.verifyIPLimit, c.RealIP()}} {
		blocked, w, err := lk.limit.Blocked(ctx, lk.key)
		if err != nil {
			return addr, domain, err
		}
		if blocked {
			wait = max(wait, w)
		}
	}
	if wait > 0 {
		return addr, domain, verifyLimited{wait}
	}
	for _, lk := range []struct {
		limit *auth.Limiter
		key   string
	}{{s.ws.verifyResultLimit, a.Token}, {s.ws.verifyDomainLimit, domain}, {s.ws.verifyAddressLimit, addr}, {s.ws.verifyIPLimit, c.RealIP()}} {
		if err := lk.limit.Fail(ctx, lk.key); err != nil {
			return addr, domain, err
		}
	}
	tok, hash := auth.NewToken()
	now := s.now()
	v := assessment.Verification{Domain: domain, Lang: a.Lang, CreatedAt: now, ExpiresAt: now.Add(assessment.VerificationTTL)}
	ml := views.Loc{Lang: a.Lang}
	link := s.absoluteURL(c, "/verify/"+tok+"?lang="+url.QueryEscape(a.Lang))
	m, err := ml.VerificationMail(addr, domain, formatDate(ml, a.CreatedAt), link)
	if err != nil {
		return addr, domain, err
	}
	if err := s.db.verification.RequestVerification(ctx, a.Token, hash, &v, &m); err != nil {
		return addr, domain, err
	}
	s.wakeMail()
	return addr, domain, nil
}

// apiVerification is the body of POST /api/v1/assessments/{token}/verification and its answer.
type apiVerification struct {
	Email string `json:"email"`
}

type apiVerificationSent struct {
	Status string `json:"status"`
	Domain string `json:"domain"`
}

// apiRequestVerification sends a verification link: 202 with the domain; 422 for a
// malformed address or a refused domain, 409 for a confirmed result or one without consent,
// 429 with Retry-After when a limit is reached.
func (s *Server) apiRequestVerification(c echo.Context) error {
	a, err := s.verifiableResult(c)
	if err != nil {
		return err
	}
	var in apiVerification
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	_, domain, err := s.sendVerification(c, a, in.Email)
	if lim, ok := errors.AsType[verifyLimited](err); ok {
		c.Response().Header().Set("Retry-After", strconvSeconds(lim.wait))
		return assessment.NewError(assessment.ETOOMANY, assessment.MsgTooMany, assessment.Args{"Count": minutesOf(lim.wait)})
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, apiVerificationSent{Status: "sent", Domain: domain})
}

func (s *Server) verifyRequestForm(c echo.Context) error {
	a, err := s.verifiableResult(c)
	if err != nil {
		if a != nil {
			return c.Redirect(http.StatusSeeOther, "/r/"+a.Token)
		}
		return err
	}
	return s.renderVerifyRequest(c, http.StatusOK, a, views.VerifyRequestPage{})
}

func (s *Server) renderVerifyRequest(c echo.Context, status int, a *assessment.Assessment, p views.VerifyRequestPage) error {
	p.Page = s.page(c, "verify.card.title")
	p.Back = "/r/" + a.Token
	p.Action = "/r/" + a.Token + "/verification"
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return render(c, status, views.VerifyRequest(p))
}

// requestVerification is the result page's form: the link is sent, or the form comes back
// with what is wrong, in the page's language.
func (s *Server) requestVerification(c echo.Context) error {
	l := loc(c)
	a, err := s.verifiableResult(c)
	if a == nil {
		return err
	}
	typed := c.FormValue("email")
	if err != nil {
		return s.renderVerifyRequest(c, http.StatusConflict, a, views.VerifyRequestPage{Email: typed, Error: l.Error(asError(err))})
	}
	addr, _, err := s.sendVerification(c, a, typed)
	if lim, ok := errors.AsType[verifyLimited](err); ok {
		c.Response().Header().Set("Retry-After", strconvSeconds(lim.wait))
		return s.renderVerifyRequest(c, http.StatusTooManyRequests, a, views.VerifyRequestPage{Email: addr, Error: l.N("error.too_many", minutesOf(lim.wait))})
	}
	if fes := assessment.FieldErrors(err); len(fes) > 0 {
		return s.renderVerifyRequest(c, http.StatusUnprocessableEntity, a, views.VerifyRequestPage{Email: typed, Error: l.Hint(fes[0])})
	}
	if err != nil {
		if e, ok := assessment.AsError(err); ok && e.Code == assessment.ECONFLICT {
			return s.renderVerifyRequest(c, http.StatusConflict, a, views.VerifyRequestPage{Email: typed, Error: l.Error(e)})
		}
		return err
	}
	return s.renderVerifyRequest(c, http.StatusOK, a, views.VerifyRequestPage{Sent: l.F("verify.sent", views.Args{"Email": addr})})
}

// asError returns err's *assessment.Error, or the internal one.
func asError(err error) *assessment.Error {
	if e, ok := assessment.AsError(err); ok {
		return e
	}
	return assessment.NewError(assessment.EINTERNAL, assessment.MsgInternal, nil)
}

// verifyPage shows what a verification link would confirm, with the button; it changes
// nothing. A used, expired or unknown link says so.
func (s *Server) verifyPage(c echo.Context) error {
	l := loc(c)
	v, err := s.db.verification.VerificationByToken(c.Request().Context(), auth.HashToken(c.Param("token")))
	if err == nil {
		err = v.Check(s.now())
	}
	if err != nil {
		return s.renderVerify(c, err, views.VerifyPage{})
	}
	return s.renderVerify(c, nil, views.VerifyPage{
		Lead:   l.F("verify.page.lead", views.Args{"Date": formatDate(l, v.Taken), "Domain": v.Domain}),
		Action: c.Request().URL.Path, Button: l.F("verify.page.confirm", views.Args{"Domain": v.Domain}), Domain: v.Domain,
	})
}

// confirmVerification confirms the result of the link for its domain and says what it
// counts for now.
func (s *Server) confirmVerification(c echo.Context) error {
	d, err := s.db.verification.ConfirmVerification(c.Request().Context(), s.q, auth.HashToken(c.Param("token")), s.now())
	if err != nil {
		return s.renderVerify(c, err, views.VerifyPage{})
	}
	return s.renderVerify(c, nil, views.VerifyPage{Done: verifyStatus(loc(c), d.Domain, d.Status), Domain: d.Domain})
}

// renderVerify renders the link's page; a link that does not work (used, expired, unknown,
// its result confirmed by another) is the page with its reason and the error's status.
func (s *Server) renderVerify(c echo.Context, failed error, p views.VerifyPage) error {
	p.Page = s.page(c, "verify.page.title")
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	status := http.StatusOK
	if failed != nil {
		e, ok := assessment.AsError(failed)
		if !ok {
			return failed
		}
		status = statusOf[e.Code]
		p.Error = loc(c).Error(e)
	}
	return render(c, status, views.Verify(p))
}

// verifyStatus is the sentence on what a result confirmed for domain counts for now.
func verifyStatus(l views.Loc, domain, status string) string {
	switch status {
	case assessment.DomainApproved:
		return l.F("verify.status.approved", views.Args{"Domain": domain})
	case assessment.DomainRejected:
		return l.F("verify.status.rejected", views.Args{"Domain": domain})
	}
	return l.F("verify.status.pending", views.Args{"Domain": domain})
}

// verifyView is the result page's card: the form for a result that may be verified, what a
// confirmed one counts for, or nothing.
func (s *Server) verifyView(c echo.Context, a *assessment.Assessment) (views.VerifyView, error) {
	if a.VerifiedDomain != "" {
		status, err := s.db.verification.DomainStatus(c.Request().Context(), a.VerifiedDomain)
		if err != nil {
			return views.VerifyView{}, err
		}
		return views.VerifyView{Domain: a.VerifiedDomain, Status: verifyStatus(loc(c), a.VerifiedDomain, status)}, nil
	}
	if !s.mail.Delivers || !a.BenchmarkConsent {
		return views.VerifyView{}, nil
	}
	return views.VerifyView{Action: "/r/" + a.Token + "/verification"}, nil
}
