package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the forgotten password: /password/forgot sends a single-use link valid for
// an hour (assessment.ResetTTL) to an address that has an account; /password/reset/{token}
// sets a new password, which ends every session of the account, and signs in.
//
// The answer to a request is the same page whether or not the address has an account, and
// the work is the same but for the rows a known address adds (docs/privacy.md): the limits
// count every request, the message is written either way, and the store is asked either way.
// Requests are limited per address and per email asked for, so neither a flood of mail to
// one person nor a sweep of addresses from one machine gets far.

// Limits of reset requests: per client address and per email, in an hour. The per-email one
// applies to every address typed, account or not, so it reveals nothing.
const (
	maxResetsIP      = 10
	maxResetsAccount = 3
	resetWindow      = time.Hour
)

func (s *Server) forgotForm(c echo.Context) error {
	return s.renderForgot(c, http.StatusOK, views.ForgotPage{})
}

func (s *Server) renderForgot(c echo.Context, status int, p views.ForgotPage) error {
	p.Page = s.page(c, "reset.forgot.title")
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, views.Forgot(p))
}

// forgot sends a reset link to the address if it has an account, and answers the same page
// either way.
func (s *Server) forgot(c echo.Context) error {
	ctx, l := c.Request().Context(), loc(c)
	typed := c.FormValue("email")
	addr, fes := assessment.CleanEmail("email", typed)
	if len(fes) > 0 {
		return s.renderForgot(c, http.StatusUnprocessableEntity, views.ForgotPage{Email: typed, Error: l.Hint(fes[0])})
	}
	var wait time.Duration
	for _, lk := range []limitKey{{s.ws.resetIPLimit, c.RealIP()}, {s.ws.resetAccountLimit, addr}} {
		blocked, w, err := lk.limit.Blocked(ctx, lk.key)
		if err != nil {
			return err
		}
		if blocked {
			wait = max(wait, w)
		}
		if err := lk.limit.Fail(ctx, lk.key); err != nil {
			return err
		}
	}
	if wait > 0 {
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		return s.renderForgot(c, http.StatusTooManyRequests, views.ForgotPage{Email: addr, Error: l.N("reset.forgot.limited", int(wait.Minutes())+1)})
	}
	u, _, err := s.db.accounts.UserByEmail(ctx, addr)
	known := err == nil
	if err != nil && assessment.ErrorCode(err) != assessment.ENOTFOUND {
		return err
	}
	tok, hash := auth.NewToken()
	m, err := l.ResetMail(addr, s.absoluteURL(c, "/password/reset/"+tok))
	if err != nil {
		return err
	}
	if known {
		if err := s.db.mail.CreatePasswordReset(ctx, u.ID, hash, s.now().Add(assessment.ResetTTL), &m); err != nil {
			return err
		}
		s.wakeMail()
	}
	notice := "reset.forgot.sent"
	if !s.mail.Delivers {
		notice = "reset.forgot.logged"
	}
	return s.renderForgot(c, http.StatusOK, views.ForgotPage{Email: addr, Notice: l.F(notice, views.Args{"Email": addr})})
}

// resetForm shows the new password's form, or why the link does not work (410).
func (s *Server) resetForm(c echo.Context) error {
	u, err := s.db.mail.PasswordResetUser(c.Request().Context(), auth.HashToken(c.Param("token")))
	if err != nil {
		return s.renderReset(c, statusOf[assessment.ErrorCode(err)], views.ResetPage{Problem: loc(c).Error(err)}, err)
	}
	return s.renderReset(c, http.StatusOK, views.ResetPage{Email: u.Email}, nil)
}

func (s *Server) renderReset(c echo.Context, status int, p views.ResetPage, err error) error {
	if err != nil && assessment.ErrorCode(err) != assessment.EGONE {
		return err
	}
	p.Page = s.page(c, "reset.title")
	p.Action = "/password/reset/" + c.Param("token")
	p.MinPassword = assessment.MinPassword
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return render(c, status, views.Reset(p))
}

// reset sets the new password through the link: the link is used up, every session of the
// account ends, and this browser is signed in afresh. The token is the credential, as for an
// invitation.
func (s *Server) reset(c echo.Context) error {
	ctx, l := c.Request().Context(), loc(c)
	hash := auth.HashToken(c.Param("token"))
	u, err := s.db.mail.PasswordResetUser(ctx, hash)
	if err != nil {
		return s.renderReset(c, statusOf[assessment.ErrorCode(err)], views.ResetPage{Problem: l.Error(err)}, err)
	}
	pw := c.FormValue("password")
	if err := assessment.CheckPassword(pw); err != nil {
		return s.renderReset(c, http.StatusUnprocessableEntity, views.ResetPage{Email: u.Email, Error: memberError(l, err)}, nil)
	}
	pwHash, err := auth.HashPassword(ctx, pw)
	if err != nil {
		return err
	}
	if u, err = s.db.mail.ResetPassword(ctx, hash, pwHash); err != nil {
		return s.renderReset(c, statusOf[assessment.ErrorCode(err)], views.ResetPage{Problem: l.Error(err)}, err)
	}
	c.Set(userKey, u)
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditPasswordReset, Target: assessment.AuditTarget(assessment.TargetMember, u.ID)})
	return s.signIn(c, u, "/w")
}
