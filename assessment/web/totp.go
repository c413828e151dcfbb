package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is TOTP two-factor sign-in (RFC 6238): set-up and turning off on /w/account,
// the code form after a right password (/login/totp), and the workspace setting that
// requires a second factor. docs/privacy.md states the threat model.

// pendingCookie carries a half-signed-in browser's token: the password was right, the code
// is to come. It is sent only to /login, lives PendingLoginTTL, and grants nothing but the
// code form.
const pendingCookie = "loyalty_pending"

// totpIssuer names the app in the member's authenticator.
const totpIssuer = "LOYALTY"

// totpSetupForm is GET /w/account/totp: a new secret, not yet enabled, as a QR code and as
// text. A member whose app is on is sent back to the account page (ECONFLICT otherwise).
func (s *Server) totpSetupForm(c echo.Context) error {
	u := currentUser(c)
	secret, uri, err := auth.NewTOTPKey(totpIssuer, u.Email)
	if err != nil {
		return err
	}
	if err := s.db.factors.StartTOTP(c.Request().Context(), u.ID, s.sealer.Seal(secret, totpOwner(u))); err != nil {
		return err
	}
	return s.renderTOTPSetup(c, http.StatusOK, secret, uri, "")
}

func (s *Server) renderTOTPSetup(c echo.Context, status int, secret, uri, msg string) error {
	svg, err := qrSVG(uri)
	if err != nil {
		return err
	}
	p := views.TOTPSetupPage{WSPage: s.wsPage(c, "ws.totp.setup.title"), Secret: auth.FormatSecret(secret), Error: msg,
		QR: "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg)}
	p.Section = "account"
	return render(c, status, views.TOTPSetup(p))
}

// confirmTOTP is POST /w/account/totp: the first code from the app turns TOTP on, and the
// ten recovery codes are shown, this once. A wrong code shows the same secret again (422).
func (s *Server) confirmTOTP(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	l := loc(c)
	secret, on, err := s.totpSecret(ctx, u)
	if err != nil {
		return err
	}
	if on {
		return assessment.ErrTOTPEnabled
	}
	if secret == "" { // no set-up started (or it was replaced): start one
		return c.Redirect(http.StatusSeeOther, "/w/account/totp")
	}
	step, ok := auth.MatchTOTP(secret, assessment.NormalizeCode(c.FormValue("code")), s.now())
	if !ok {
		_, uri, err := auth.NewTOTPKey(totpIssuer, u.Email, secret)
		if err != nil {
			return err
		}
		return s.renderTOTPSetup(c, http.StatusUnprocessableEntity, secret, uri, l.T("ws.totp.err.code"))
	}
	codes, hashes := auth.NewRecoveryCodes(assessment.RecoveryCodeCount)
	if enabled, err := s.db.factors.EnableTOTP(ctx, u.ID, step, hashes); err != nil {
		return err
	} else if !enabled {
		return c.Redirect(http.StatusSeeOther, "/w/account/totp")
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditSecondFactorAdded, Target: assessment.AuditTarget(assessment.TargetMember, u.ID)})
	return s.renderAccount(c, http.StatusOK, views.AccountPage{Notice: l.T("ws.account.totp.enabled"), RecoveryCodes: codes})
}

// disableTOTP is POST /w/account/totp/disable: with the password or a current code as proof
// (so a session left open is not enough), the app and the recovery codes are removed.
func (s *Server) disableTOTP(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	l := loc(c)
	key := u.Email + " " + c.RealIP()
	if blocked, wait, err := s.ws.pairLimit.Blocked(ctx, key); err != nil {
		return err
	} else if blocked {
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		return s.renderAccount(c, http.StatusTooManyRequests, views.AccountPage{DisableError: l.N("ws.login.locked", int(wait.Minutes())+1)})
	}
	proof := c.FormValue("proof")
	ok, err := s.checkProof(c, u, proof)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.ws.pairLimit.Fail(ctx, key); err != nil {
			return err
		}
		return s.renderAccount(c, http.StatusUnprocessableEntity, views.AccountPage{DisableError: l.T("ws.account.totp.err.proof")})
	}
	if err := s.db.factors.DisableTOTP(ctx, u.ID); err != nil {
		return err
	}
	s.audit(c, assessment.AuditEvent{Action: assessment.AuditSecondFactorRemoved, Target: assessment.AuditTarget(assessment.TargetMember, u.ID)})
	return c.Redirect(http.StatusSeeOther, "/w/account?done=totp-disabled")
}

// checkProof reports whether proof is u's password or a TOTP code not used before.
func (s *Server) checkProof(c echo.Context, u *assessment.User, proof string) (bool, error) {
	ctx := c.Request().Context()
	if code := assessment.NormalizeCode(proof); assessment.IsTOTPCode(code) {
		secret, on, err := s.totpSecret(ctx, u)
		if err != nil || !on {
			return false, err
		}
		if step, ok := auth.MatchTOTP(secret, code, s.now()); ok {
			return s.db.factors.UseTOTPStep(ctx, u.ID, step)
		}
	}
	if len(proof) > assessment.MaxPassword {
		return false, nil
	}
	hash, err := s.db.accounts.PasswordHash(ctx, u.ID)
	if err != nil {
		return false, err
	}
	return auth.CheckPassword(ctx, hash, proof)
}

// setRequireSecondFactor is POST /w/account/require: an admin requires (require=1) or stops
// requiring a second factor for every member of the workspace.
func (s *Server) setRequireSecondFactor(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	require := c.FormValue("require") == "1"
	if err := s.db.factors.SetRequireSecondFactor(c.Request().Context(), currentUser(c).WorkspaceID, require); err != nil {
		return err
	}
	action := assessment.AuditAllowOneFactor
	if require {
		action = assessment.AuditRequireSecondFactor
	}
	s.audit(c, assessment.AuditEvent{Action: action})
	return c.Redirect(http.StatusSeeOther, "/w/account?done=require")
}

// totpOwner binds a sealed secret to its member: a sealed secret copied into another
// member's row does not open.
func totpOwner(u *assessment.User) string { return "totp:" + strconv.FormatInt(u.ID, 10) }

// totpSecret reads u's TOTP secret, opened with the operator's key; "" when there is none.
// A secret that does not open (the key changed or went missing) is an error the operator
// must see, not a wrong code.
func (s *Server) totpSecret(ctx context.Context, u *assessment.User) (string, bool, error) {
	stored, on, err := s.db.factors.TOTPSecret(ctx, u.ID)
	if err != nil || stored == "" {
		return "", on, err
	}
	secret, err := s.sealer.Open(stored, totpOwner(u))
	if err != nil {
		return "", on, fmt.Errorf("totp secret of member %d: %w (was -secret-key changed?)", u.ID, err)
	}
	return secret, on, nil
}

// startPendingLogin is the password step's end for a member with TOTP: a short-lived
// half-signed-in token in a cookie only /login receives, and the code form.
func (s *Server) startPendingLogin(c echo.Context, u *assessment.User, next string) error {
	token, hash := auth.NewToken()
	if err := s.db.factors.CreatePendingLogin(c.Request().Context(), hash, u.ID, next, s.now().Add(assessment.PendingLoginTTL)); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: pendingCookie, Value: token, Path: "/login", MaxAge: int(assessment.PendingLoginTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(c)})
	return c.Redirect(http.StatusSeeOther, "/login/totp")
}

// pendingLogin returns the member this browser is half-signed-in as, with where to go next
// and the wrong codes sent so far; nil when there is no unexpired pending login.
func (s *Server) pendingLogin(c echo.Context) (*assessment.User, string, int, string, error) {
	ck, err := c.Cookie(pendingCookie)
	if err != nil || ck.Value == "" {
		return nil, "", 0, "", nil
	}
	h := auth.HashToken(ck.Value)
	u, next, attempts, err := s.db.factors.PendingLogin(c.Request().Context(), h)
	return u, next, attempts, h, err
}

func (s *Server) clearPending(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: pendingCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(c)})
}

// totpPrompt is GET /login/totp: the code form, for a half-signed-in browser only.
func (s *Server) totpPrompt(c echo.Context) error {
	u, _, _, _, err := s.pendingLogin(c)
	if err != nil {
		return err
	}
	if u == nil {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return s.renderTOTPPrompt(c, http.StatusOK, "")
}

func (s *Server) renderTOTPPrompt(c echo.Context, status int, msg string) error {
	p := views.TOTPPromptPage{Page: s.page(c, "ws.totp.prompt.title"), Error: msg}
	// Keep the form's token across wrong codes, so a second try from the same page works.
	if ck, err := c.Cookie(loginCSRFCookie); err == nil && len(ck.Value) >= 20 {
		p.CSRF = ck.Value
	} else {
		p.CSRF, _ = auth.NewToken()
	}
	c.SetCookie(&http.Cookie{Name: loginCSRFCookie, Value: p.CSRF, Path: "/login", MaxAge: int(loginCSRFTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(c)})
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, views.TOTPPrompt(p))
}

// verifyTOTP is POST /login/totp: a six-digit code of the member's app (each time step
// accepted once: a replayed code is refused) or one of their unused recovery codes ends the
// sign-in. Each wrong code counts; the fifth ends the half-signed-in state, and the password
// must be given again, under the sign-in limits.
func (s *Server) verifyTOTP(c echo.Context) error {
	ctx := c.Request().Context()
	l := loc(c)
	if ck, err := c.Cookie(loginCSRFCookie); err != nil || !auth.Equal(c.FormValue(csrfField), ck.Value) {
		return s.renderTOTPPrompt(c, http.StatusForbidden, l.T("ws.login.expired"))
	}
	u, next, attempts, pendingHash, err := s.pendingLogin(c)
	if err != nil {
		return err
	}
	if u == nil || attempts >= assessment.MaxSecondFactorTries {
		s.clearPending(c)
		p := views.LoginPage{Page: s.page(c, "ws.login.title"), Next: "/w", Error: l.T("ws.totp.prompt.expired")}
		return s.renderLogin(c, http.StatusUnauthorized, p)
	}
	code := assessment.NormalizeCode(c.FormValue("code"))
	ok, msg, recovery := false, l.T("ws.totp.err.code"), false
	if assessment.IsTOTPCode(code) {
		secret, on, err := s.totpSecret(ctx, u)
		if err != nil {
			return err
		}
		if step, match := auth.MatchTOTP(secret, code, s.now()); on && match {
			if ok, err = s.db.factors.UseTOTPStep(ctx, u.ID, step); err != nil {
				return err
			}
			if !ok {
				msg = l.T("ws.totp.err.used")
			}
		}
	} else if code != "" && len(code) <= 64 {
		if ok, err = s.db.factors.UseRecoveryCode(ctx, u.ID, auth.HashToken(code)); err != nil {
			return err
		}
		recovery = ok
	}
	if !ok {
		n, err := s.db.factors.FailPendingLogin(ctx, pendingHash)
		if err != nil {
			return err
		}
		// A wrong code counts like a wrong password, against the address, the account at
		// this address and the account: someone who has the password cannot buy five new
		// guesses with every sign-in.
		ip := c.RealIP()
		for _, lk := range []struct {
			limit *auth.Limiter
			key   string
		}{{s.ws.ipLimit, ip}, {s.ws.pairLimit, u.Email + " " + ip}, {s.ws.accountLimit, u.Email}} {
			if err := lk.limit.Fail(ctx, lk.key); err != nil {
				return err
			}
		}
		s.audit(c, assessment.AuditEvent{WorkspaceID: u.WorkspaceID, ActorID: u.ID, ActorName: u.Name, Scope: auditScope(u), Action: assessment.AuditSignInFailed,
			Target: assessment.AuditTarget(assessment.TargetMember, u.ID)})
		if n >= assessment.MaxSecondFactorTries {
			if err := s.db.factors.DeletePendingLogin(ctx, pendingHash); err != nil {
				return err
			}
			s.clearPending(c)
			p := views.LoginPage{Page: s.page(c, "ws.login.title"), Next: next, Email: u.Email, Error: l.T("ws.totp.prompt.expired")}
			return s.renderLogin(c, http.StatusUnauthorized, p)
		}
		return s.renderTOTPPrompt(c, http.StatusUnauthorized, msg)
	}
	if err := s.db.factors.DeletePendingLogin(ctx, pendingHash); err != nil {
		return err
	}
	s.clearPending(c)
	if recovery {
		s.audit(c, assessment.AuditEvent{WorkspaceID: u.WorkspaceID, ActorID: u.ID, ActorName: u.Name, Scope: auditScope(u), Action: assessment.AuditRecoveryCodeUsed,
			Target: assessment.AuditTarget(assessment.TargetMember, u.ID)})
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, safeNext(next))
}
