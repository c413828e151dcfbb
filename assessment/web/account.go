package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is /w/account: the signed-in member's own account, where they change their
// password (which ends their other sessions) and manage their second factor (totp.go).

// accountDone maps the ?done= of the page after a change to its confirmation.
var accountDone = map[string]string{
	"password":      "ws.account.changed",
	"totp-disabled": "ws.account.totp.disabled",
	"require":       "ws.account.require.changed",
}

func (s *Server) accountPage(c echo.Context) error {
	p := views.AccountPage{}
	if key, ok := accountDone[c.QueryParam("done")]; ok {
		p.Notice = loc(c).T(key)
	}
	return s.renderAccount(c, http.StatusOK, p)
}

// renderAccount shows the account page with form (messages, recovery codes to show once).
func (s *Server) renderAccount(c echo.Context, status int, form views.AccountPage) error {
	u := currentUser(c)
	l := loc(c)
	p := form
	p.WSPage = s.wsPage(c, "ws.account.title")
	p.Section = "account"
	p.Name, p.Email, p.MinPassword = u.Name, u.Email, assessment.MinPassword
	p.Role = l.T("ws.role." + u.Role)
	f, err := s.db.factors.SecondFactors(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	p.TOTP, p.RecoveryLeft, p.Passkeys = f.TOTP, f.RecoveryCodes, f.Passkeys
	// An operator always needs a second factor (assessment.MustSetUpOperatorFactor).
	req := u.IsOperator()
	if !req {
		if req, err = s.db.factors.RequiresSecondFactor(c.Request().Context(), u.WorkspaceID); err != nil {
			return err
		}
	}
	p.RequireSecondFactor = req
	p.MustSetUp = req && !assessment.HasSecondFactor(f)
	return render(c, status, views.Account(p))
}

// changePassword is POST /w/account/password: the current password (rate-limited like a
// sign-in, since a stolen session could otherwise guess it), a new one under the policy
// (assessment.CheckPassword) and different from it. Success ends every other session of the
// member and keeps this one.
func (s *Server) changePassword(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	l := loc(c)
	current, pw := c.FormValue("current"), c.FormValue("password")
	key := u.Email + " " + c.RealIP()
	if blocked, wait, err := s.ws.pairLimit.Blocked(ctx, key); err != nil {
		return err
	} else if blocked {
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		return s.renderAccount(c, http.StatusTooManyRequests, views.AccountPage{PasswordError: l.N("ws.login.locked", int(wait.Minutes())+1)})
	}
	hash, err := s.db.accounts.PasswordHash(ctx, u.ID)
	if err != nil {
		return err
	}
	ok := false
	if len(current) <= assessment.MaxPassword {
		if ok, err = auth.CheckPassword(ctx, hash, current); err != nil {
			return err
		}
	}
	if !ok {
		if err := s.ws.pairLimit.Fail(ctx, key); err != nil {
			return err
		}
		return s.renderAccount(c, http.StatusUnprocessableEntity, views.AccountPage{PasswordError: l.T("ws.account.err.fix"), CurrentError: l.T("ws.account.err.current")})
	}
	if err := assessment.CheckPassword(pw); err != nil {
		var msgs []string
		for _, fe := range assessment.FieldErrors(err) {
			msgs = append(msgs, l.Hint(fe))
		}
		return s.renderAccount(c, http.StatusUnprocessableEntity, views.AccountPage{PasswordError: l.T("ws.account.err.fix"), NewError: strings.Join(msgs, " ")})
	}
	if pw == current {
		return s.renderAccount(c, http.StatusUnprocessableEntity, views.AccountPage{PasswordError: l.T("ws.account.err.fix"), NewError: l.T("ws.account.err.same")})
	}
	newHash, err := auth.HashPassword(ctx, pw)
	if err != nil {
		return err
	}
	if err := s.db.accounts.SetPassword(ctx, u.ID, newHash, sessionHash(c)); err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditPasswordChanged, Target: assessment.AuditTarget(assessment.TargetMember, u.ID)})
	return c.Redirect(http.StatusSeeOther, "/w/account?done=password")
}

// sessionHash returns the hash of this request's session token, "" without one.
func sessionHash(c echo.Context) string {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		return auth.HashToken(ck.Value)
	}
	return ""
}
