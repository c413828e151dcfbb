package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// Login limits (ASVS 2.2.1; OWASP, "Slow down online guessing attacks with device
// cookies"). Failures are counted in the database, four ways:
//
//   - per account and address: 5 in 15 minutes block that pair only, so someone who types
//     a victim's email with wrong passwords locks out themselves, not the victim signing in
//     from elsewhere (an account lock after 5 failures was a weapon);
//   - per address: 20 in 15 minutes (enough for an office behind one address, too few to
//     guess passwords across accounts);
//   - per account, from devices the account has not signed in on: after 100 failures in an
//     hour, one try a minute. It bounds guessing at one account from many addresses to
//     ASVS's 100 failed attempts an hour (then 60 an hour), and it never locks anyone out
//     for long: 20 addresses × 5 wrong passwords used to lock the owner out from everywhere
//     for an hour;
//   - per known device (a browser with the device cookie of an earlier sign-in to the
//     account): 5 in 15 minutes. A known device is not held back by the account's failures
//     elsewhere, so the owner signs in at once on their own laptop whatever an attacker does.
const (
	loginWindow     = 15 * time.Minute
	maxFailsPair    = 5
	maxFailsIP      = 20
	accountWindow   = time.Hour
	maxFailsAccount = 100
	accountGap      = time.Minute
	maxFailsDevice  = 5
	// maxPasskeyBegins bounds the passkey sign-ins an address begins in loginWindow: 200
	// sign-in pages in 15 minutes is far more than an office behind one address loads, and
	// few enough that nobody fills the table of challenges.
	maxPasskeyBegins = 200
	// deviceCookie marks a browser that signed in to an account (its random token; the
	// database keeps its SHA-256 with the account). deviceTTL is how long it is known.
	deviceCookie  = "loyalty_device"
	deviceTTL     = 180 * 24 * time.Hour
	sessionTTL    = 12 * time.Hour
	sessionCookie = "loyalty_session"
	csrfField     = "_csrf"
	// loginCSRFCookie carries the login form's double-submit token. A login has no session
	// yet to hold a CSRF token, so the token lives in a cookie only /login receives, and
	// the form echoes it: another site can make a browser send the form, but cannot read or
	// set the cookie, so it cannot sign a victim in to the attacker's account.
	loginCSRFCookie = "loyalty_login_csrf"
	// loginCSRFTTL is how long a login form stays usable.
	loginCSRFTTL = time.Hour
)

// LimitHorizon is the longest window of the rate limits (the per-account hour): an older
// failure counts for nothing, so the program deletes it (sqlstore.DB.PruneFailures) and the
// privacy page can say it is kept about an hour.
const LimitHorizon = accountWindow

// Participation limits: an address that named 20 workshop codes that do not exist in 15
// minutes must wait. A short code has 40 bits, so guessing one takes billions of tries; a
// room of participants mistyping now and then never gets near the limit.
const (
	joinWindow    = 15 * time.Minute
	maxJoinMisses = 20
)

// workspace is the consultant workspace's part of the server.
type workspace struct {
	// ipLimit, pairLimit, accountLimit and deviceLimit count failed sign-ins per address,
	// per account and address, per account from unknown devices (a throttle), and per known
	// device.
	ipLimit      *auth.Limiter
	pairLimit    *auth.Limiter
	accountLimit *auth.Limiter
	deviceLimit  *auth.Limiter
	// joinLimit counts unknown workshop codes per address.
	joinLimit *auth.Limiter
	// resetIPLimit and resetAccountLimit count requests for a password reset link per
	// address and per email asked for (password.go).
	resetIPLimit      *auth.Limiter
	resetAccountLimit *auth.Limiter
	// resultMailIPLimit and resultMailLimit count "email me my link" per address and per
	// result (result_email.go).
	resultMailIPLimit *auth.Limiter
	resultMailLimit   *auth.Limiter
	// teamMailIPLimit and teamMailLimit count personal links emailed from a team page per
	// address and per personal link (team_email.go).
	teamMailIPLimit *auth.Limiter
	teamMailLimit   *auth.Limiter
	// verifyLimits count verification links sent per result, per domain, per address and
	// per client address (verification.go).
	verifyResultLimit, verifyDomainLimit, verifyAddressLimit, verifyIPLimit *auth.Limiter
	// passkeyBegins counts passkey sign-ins begun per address: each stores a challenge
	// before anyone is known, so an address may begin at most maxPasskeyBegins in
	// loginWindow (every load of the sign-in page begins one, for autofill).
	passkeyBegins *auth.Limiter
	live          liveCache
}

func newWorkspace(cfg Config) *workspace {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &workspace{
		ipLimit:            auth.NewLimiter(cfg.Store, "login-ip", maxFailsIP, loginWindow, now),
		pairLimit:          auth.NewLimiter(cfg.Store, "login-pair", maxFailsPair, loginWindow, now),
		accountLimit:       auth.NewThrottle(cfg.Store, "login-account", maxFailsAccount, accountWindow, accountGap, now),
		deviceLimit:        auth.NewLimiter(cfg.Store, "login-device", maxFailsDevice, loginWindow, now),
		joinLimit:          auth.NewLimiter(cfg.Store, "join-ip", maxJoinMisses, joinWindow, now),
		resetIPLimit:       auth.NewLimiter(cfg.Store, "reset-ip", maxResetsIP, resetWindow, now),
		resetAccountLimit:  auth.NewLimiter(cfg.Store, "reset-account", maxResetsAccount, resetWindow, now),
		resultMailIPLimit:  auth.NewLimiter(cfg.Store, "result-mail-ip", maxResultMailsIP, resultMailWindow, now),
		resultMailLimit:    auth.NewLimiter(cfg.Store, "result-mail", maxResultMailsResult, resultMailWindow, now),
		teamMailIPLimit:    auth.NewLimiter(cfg.Store, "team-mail-ip", maxTeamMailsIP, teamMailWindow, now),
		teamMailLimit:      auth.NewLimiter(cfg.Store, "team-mail", maxTeamMailsLink, teamMailWindow, now),
		passkeyBegins:      auth.NewLimiter(cfg.Store, "passkey-begin", maxPasskeyBegins, loginWindow, now),
		verifyResultLimit:  auth.NewLimiter(cfg.Store, "verify-result", maxVerifyResult, verifyWindow, now),
		verifyDomainLimit:  auth.NewLimiter(cfg.Store, "verify-domain", maxVerifyDomain, verifyWindow, now),
		verifyAddressLimit: auth.NewLimiter(cfg.Store, "verify-address", maxVerifyAddress, verifyWindow, now),
		verifyIPLimit:      auth.NewLimiter(cfg.Store, "verify-ip", maxVerifyIP, verifyWindow, now),
	}
}

const (
	userKey         = "ws.user"
	csrfKey         = "ws.csrf"
	sessionStartKey = "ws.session_start"
)

// sessionStart returns when the member of this request's session signed in (zero without a
// session).
func sessionStart(c echo.Context) time.Time {
	t, _ := c.Get(sessionStartKey).(time.Time)
	return t
}

// currentUser returns the member signed in for this request (set by requireSession or
// requireToken).
func currentUser(c echo.Context) *assessment.User {
	u, _ := c.Get(userKey).(*assessment.User)
	return u
}

// requireSession lets a request through only with a valid session cookie. A page request
// without one is sent to the login page (and back afterwards); anything else gets 401.
func (s *Server) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		var sess *assessment.Session
		if err == nil && ck.Value != "" {
			sess, err = s.db.accounts.Session(c.Request().Context(), auth.HashToken(ck.Value))
		}
		if sess == nil {
			if err != nil && assessment.ErrorCode(err) != assessment.EUNAUTHORIZED && ck != nil {
				return err
			}
			req := c.Request()
			if req.Method == http.MethodGet || req.Method == http.MethodHead {
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(req.URL.RequestURI()))
			}
			return assessment.NewError(assessment.EUNAUTHORIZED, assessment.MsgSignIn, nil)
		}
		c.Set(userKey, &sess.User)
		c.Set(csrfKey, sess.CSRF)
		c.Set(sessionStartKey, sess.CreatedAt)
		c.Response().Header().Set("Cache-Control", "no-store")
		if sess.User.IsOperator() {
			if err := keepOperatorOut(c); err != nil {
				return err
			}
			return next(c)
		}
		if err := s.enforceSecondFactor(c, &sess.User); err != nil {
			return err
		}
		return next(c)
	}
}

// keepOperatorOut keeps an operator's session out of the workspace: an operator is a member
// of none. It may use its own account pages (/w/account…: password, authenticator,
// passkeys), sign out, and the console (/ops, which checks the second factor itself); any
// other workspace page sends it to the console, anything else is 404.
func keepOperatorOut(c echo.Context) error {
	path := c.Request().URL.Path
	if path == "/w/account" || strings.HasPrefix(path, "/w/account/") || path == "/logout" || path == "/ops" || strings.HasPrefix(path, "/ops/") {
		return nil
	}
	if m := c.Request().Method; m == http.MethodGet || m == http.MethodHead {
		return c.Redirect(http.StatusSeeOther, "/ops")
	}
	return assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
}

// enforceSecondFactor keeps a member of a workspace that requires a second factor, who has
// none, on their account pages (/w/account…, where they set one up) and the sign-out: a page
// elsewhere sends them there, anything else is 403. API tokens are not held back: an admin
// who requires a second factor decides who holds tokens (docs/api.md).
func (s *Server) enforceSecondFactor(c echo.Context, u *assessment.User) error {
	path := c.Request().URL.Path
	if path == "/w/account" || strings.HasPrefix(path, "/w/account/") || path == "/logout" {
		return nil
	}
	ctx := c.Request().Context()
	required, err := s.db.factors.RequiresSecondFactor(ctx, u.WorkspaceID)
	if err != nil || !required {
		return err
	}
	f, err := s.db.factors.SecondFactors(ctx, u.ID)
	if err != nil || !assessment.MustSetUpSecondFactor(required, f) {
		return err
	}
	if m := c.Request().Method; m == http.MethodGet || m == http.MethodHead {
		return c.Redirect(http.StatusSeeOther, "/w/account")
	}
	return assessment.ErrSecondFactorNeeded
}

// checkCSRF rejects a state-changing request whose _csrf form field does not match the
// session's token, on top of the global cross-origin check: a form can only be sent from a
// page this session rendered.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		// Read the form first: a body over the limit is 413, not an expired form.
		if _, err := c.FormParams(); err != nil {
			return readError(err)
		}
		want, _ := c.Get(csrfKey).(string)
		if !auth.Equal(c.FormValue(csrfField), want) {
			return assessment.NewError(assessment.EFORBIDDEN, assessment.MsgFormExpired, nil)
		}
		return next(c)
	}
}

// requireToken authenticates an API request by its Bearer token.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get("Authorization")
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(tok) == "" {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="loyalty"`)
			return assessment.NewError(assessment.EUNAUTHORIZED, assessment.MsgTokenMissing, nil)
		}
		u, err := s.db.accounts.APITokenUser(c.Request().Context(), auth.HashToken(strings.TrimSpace(tok)))
		if err != nil {
			if assessment.ErrorCode(err) == assessment.EUNAUTHORIZED {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="loyalty", error="invalid_token"`)
			}
			return err
		}
		c.Set(userKey, u)
		return next(c)
	}
}

// wsPage returns the common model of a workspace page.
func (s *Server) wsPage(c echo.Context, title string) views.WSPage {
	u := currentUser(c)
	csrf, _ := c.Get(csrfKey).(string)
	p := views.WSPage{Page: s.page(c, title), CSRF: csrf}
	p.Audience = views.AudienceWorkspace
	if u != nil {
		p.UserName, p.Workspace, p.Admin, p.Operator = u.Name, u.Workspace, u.IsAdmin(), u.IsOperator()
	}
	return p
}

// limitKey is a rate limit and the key a request counts under in it.
type limitKey struct {
	limit *auth.Limiter
	key   string
}

// countMail counts a request to send an email against each of limits that has not blocked
// its key yet, and returns the longest wait of those that have (0: send). A blocked key is
// not counted further, so a sender who keeps trying is not locked out for longer.
func countMail(ctx context.Context, limits ...limitKey) (time.Duration, error) {
	var wait time.Duration
	for _, lk := range limits {
		blocked, w, err := lk.limit.Blocked(ctx, lk.key)
		if err != nil {
			return 0, err
		}
		wait = max(wait, w)
		if blocked {
			continue
		}
		if err := lk.limit.Fail(ctx, lk.key); err != nil {
			return 0, err
		}
	}
	return wait, nil
}
