package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is "Email me my link" on the result page, when the server sends email (-smtp):
// the holder types an address and the server sends the private link there. The address is
// not kept: the outbox erases a result-link message's recipient with its bodies once it is
// delivered or has failed. Without a relay the result page offers a mailto: link instead,
// and this page is not found.

// Limits of "email me my link": per client address and per result, in an hour.
const (
	maxResultMailsIP     = 10
	maxResultMailsResult = 3
	resultMailWindow     = time.Hour
)

func (s *Server) resultEmailForm(c echo.Context) error {
	return s.renderResultEmail(c, http.StatusOK, views.ResultEmailPage{})
}

func (s *Server) renderResultEmail(c echo.Context, status int, p views.ResultEmailPage) error {
	if !s.mail.Delivers {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
	}
	a, err := s.db.assessments.Assessment(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	p.Page = s.page(c, "result.email.title")
	p.Back = "/r/" + a.Token
	p.Action = "/r/" + a.Token + "/email"
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return render(c, status, views.ResultEmail(p))
}

// emailResult sends the result's link to the address typed.
func (s *Server) emailResult(c echo.Context) error {
	if !s.mail.Delivers {
		return assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
	}
	ctx, l := c.Request().Context(), loc(c)
	a, err := s.db.assessments.Assessment(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	typed := c.FormValue("email")
	addr, fes := assessment.CleanEmail("email", typed)
	if len(fes) > 0 {
		return s.renderResultEmail(c, http.StatusUnprocessableEntity, views.ResultEmailPage{Email: typed, Error: l.Hint(fes[0])})
	}
	wait, err := countMail(ctx, limitKey{s.ws.resultMailIPLimit, c.RealIP()}, limitKey{s.ws.resultMailLimit, a.Token})
	if err != nil {
		return err
	}
	if wait > 0 {
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		return s.renderResultEmail(c, http.StatusTooManyRequests, views.ResultEmailPage{Email: addr, Error: l.N("reset.forgot.limited", int(wait.Minutes())+1)})
	}
	m, err := l.ResultLinkMail(addr, formatDate(l, a.CreatedAt), s.absoluteURL(c, "/r/"+a.Token))
	if err != nil {
		return err
	}
	if err := s.db.mail.EnqueueMail(ctx, &m); err != nil {
		return err
	}
	s.wakeMail()
	return s.renderResultEmail(c, http.StatusOK, views.ResultEmailPage{Sent: l.F("result.email.sent", views.Args{"Email": addr})})
}
