package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// safeNext returns next if it is a local workspace or console path, and /w otherwise, so the
// login form cannot be used to redirect anyone to another site.
func safeNext(next string) string {
	if (strings.HasPrefix(next, "/w") || strings.HasPrefix(next, "/ops")) && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/w"
}

func (s *Server) loginForm(c echo.Context) error {
	p := views.LoginPage{Page: s.page(c, "ws.login.title"), Next: safeNext(c.QueryParam("next"))}
	return s.renderLogin(c, http.StatusOK, p)
}

// renderLogin shows the login form with a fresh double-submit token in its cookie and in
// its _csrf field.
func (s *Server) renderLogin(c echo.Context, status int, p views.LoginPage) error {
	p.CSRF, _ = auth.NewToken()
	p.PasskeysOn = s.passkeys != nil
	p.Page.Passkeys = p.PasskeysOn
	c.SetCookie(&http.Cookie{Name: loginCSRFCookie, Value: p.CSRF, Path: "/login", MaxAge: int(loginCSRFTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(c)})
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, views.Login(p))
}

// login checks an email and password. The form must carry the token of its cookie (403
// otherwise, before anything else). Failures count against the address, the account at this
// address, and either this known device or the account from unknown devices (see the limits
// in auth.go); any limit reached answers 429 before any password is checked. Unknown
// accounts take as long as known ones. A successful sign-in makes this browser a known
// device of the account.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	l := loc(c)
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	pw := c.FormValue("password")
	p := views.LoginPage{Page: s.page(c, "ws.login.title"), Email: email, Next: safeNext(c.FormValue("next"))}
	if ck, err := c.Cookie(loginCSRFCookie); err != nil || !auth.Equal(c.FormValue(csrfField), ck.Value) {
		p.Error = l.T("ws.login.expired")
		return s.renderLogin(c, http.StatusForbidden, p)
	}
	u, hash, err := s.db.accounts.UserByEmail(ctx, email)
	known := assessment.ErrorCode(err) != assessment.ENOTFOUND
	if err != nil && known {
		return err
	}
	device, err := s.knownDevice(c, u)
	if err != nil {
		return err
	}
	ip := c.RealIP()
	limits := []limitKey{{s.ws.ipLimit, ip}, {s.ws.pairLimit, email + " " + ip}}
	if device != "" {
		limits = append(limits, limitKey{s.ws.deviceLimit, device})
	} else {
		limits = append(limits, limitKey{s.ws.accountLimit, email})
	}
	var wait time.Duration
	for _, lk := range limits {
		blocked, w, err := lk.limit.Blocked(ctx, lk.key)
		if err != nil {
			return err
		}
		if blocked {
			wait = max(wait, w)
		}
	}
	if wait > 0 {
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		p.Error = l.N("ws.login.locked", int(wait.Minutes())+1)
		return s.renderLogin(c, http.StatusTooManyRequests, p)
	}
	ok := false
	switch {
	case known && len(pw) <= assessment.MaxPassword:
		if ok, err = auth.CheckPassword(ctx, hash, pw); err != nil {
			return err
		}
	case known:
	default:
		auth.CheckNoPassword(ctx, pw)
	}
	if !ok {
		for _, lk := range limits {
			if err := lk.limit.Fail(ctx, lk.key); err != nil {
				return err
			}
		}
		// A known account's workspace sees the failure; an unknown address's is recorded in
		// no workspace, so no admin learns which addresses have no account here.
		fail := assessment.AuditEvent{Action: assessment.AuditSignInFailed}
		if known {
			fail.WorkspaceID, fail.ActorID, fail.ActorName, fail.Target = u.WorkspaceID, u.ID, u.Name, assessment.AuditTarget(assessment.TargetMember, u.ID)
			fail.Scope = auditScope(u)
		}
		s.audit(c, fail)
		p.Error = l.T("ws.login.wrong")
		return s.renderLogin(c, http.StatusUnauthorized, p)
	}
	// The right password of a suspended workspace's member is told why it does not get in;
	// a wrong one never learns that the workspace is suspended.
	if u.Suspended {
		p.Error = l.Error(assessment.ErrWorkspaceSuspended)
		return s.renderLogin(c, http.StatusForbidden, p)
	}
	// Only this address's failures at this account are forgiven: the account's count is
	// what bounds guessing from elsewhere, and someone else's guesses are not.
	if err := s.ws.pairLimit.Reset(ctx, email+" "+ip); err != nil {
		return err
	}
	if device == "" {
		if err := s.rememberDevice(c, u); err != nil {
			return err
		}
	}
	return s.signIn(c, u, p.Next)
}

// signIn finishes a sign-in that proved the password, or a link sent to the address (an
// invitation, a password reset): with an authenticator app on, it only opens the code form
// (totp.go), so that a mailbox alone never passes a second factor. A passkey is a factor of
// its own and signs in through startSession directly (passkeys.go).
func (s *Server) signIn(c echo.Context, u *assessment.User, next string) error {
	if _, on, err := s.db.factors.TOTPSecret(c.Request().Context(), u.ID); err != nil {
		return err
	} else if on {
		return s.startPendingLogin(c, u, next)
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// startSession signs u in on this browser (after a password, a code or a passkey): a new
// server-side session in its cookie, the sign-in form's token spent, and the sign-in recorded
// in the audit log.
func (s *Server) startSession(c echo.Context, u *assessment.User) error {
	if u.Suspended {
		return assessment.ErrWorkspaceSuspended
	}
	token, tokenHash := auth.NewToken()
	csrf, _ := auth.NewToken()
	expires := s.now().Add(sessionTTL)
	if err := s.db.accounts.CreateSession(c.Request().Context(), u.ID, tokenHash, csrf, expires); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires, MaxAge: int(sessionTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	c.SetCookie(&http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(c)})
	s.audit(c, assessment.AuditEvent{WorkspaceID: u.WorkspaceID, ActorID: u.ID, ActorName: u.Name, Scope: auditScope(u), Action: assessment.AuditSignIn,
		Target: assessment.AuditTarget(assessment.TargetMember, u.ID)})
	return nil
}

// knownDevice returns the hash of this browser's device cookie if it is a known device of
// account u (it signed in to u before), and "" otherwise: no cookie, an unknown or expired
// one, another account's, or no such account.
func (s *Server) knownDevice(c echo.Context, u *assessment.User) (string, error) {
	ck, err := c.Cookie(deviceCookie)
	if err != nil || ck.Value == "" || u == nil {
		return "", nil
	}
	h := auth.HashToken(ck.Value)
	id, err := s.db.accounts.DeviceUser(c.Request().Context(), h)
	if err != nil || id != u.ID {
		return "", err
	}
	return h, nil
}

// rememberDevice makes this browser a known device of u: a new random cookie only /login
// receives, its hash kept with the account.
func (s *Server) rememberDevice(c echo.Context, u *assessment.User) error {
	tok, h := auth.NewToken()
	if err := s.db.accounts.CreateDevice(c.Request().Context(), u.ID, h, s.now().Add(deviceTTL)); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: deviceCookie, Value: tok, Path: "/login", MaxAge: int(deviceTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(c)})
	return nil
}

// logout ends the session on the server, so the cookie is worthless even if it was copied.
func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.db.accounts.DeleteSession(c.Request().Context(), auth.HashToken(ck.Value)); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	return c.Redirect(http.StatusSeeOther, "/login")
}

func strconvSeconds(d time.Duration) string { return strconv.Itoa(int(d.Seconds()) + 1) }
