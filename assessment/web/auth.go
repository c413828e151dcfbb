package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/views"
)

// WorkspaceStore is what the consultant workspace needs from storage. Every method that
// touches a tenant's data takes the workspace id and answers ENOTFOUND for another's.
type WorkspaceStore interface {
	UserByEmail(ctx context.Context, email string) (*assessment.User, string, error)
	CreateUser(ctx context.Context, wsID int64, u *assessment.User, passwordHash string) error
	Members(ctx context.Context, wsID int64) ([]assessment.User, error)
	RemoveMember(ctx context.Context, wsID, actorID, id int64) (*assessment.User, error)
	SetMemberRole(ctx context.Context, wsID, actorID, id int64, role string) (*assessment.User, error)
	CreateSession(ctx context.Context, userID int64, tokenHash, csrf string, expires time.Time) error
	Session(ctx context.Context, tokenHash string) (*assessment.Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	APITokenUser(ctx context.Context, tokenHash string) (*assessment.User, error)

	CreateClient(ctx context.Context, wsID int64, c *assessment.Client) error
	Client(ctx context.Context, wsID, id int64) (*assessment.Client, error)
	Clients(ctx context.Context, wsID int64, archived bool) ([]assessment.Client, error)
	UpdateClient(ctx context.Context, q *assessment.Questionnaire, wsID int64, c *assessment.Client) error
	SetClientArchived(ctx context.Context, wsID, id int64, archived bool) error
	DeleteClient(ctx context.Context, wsID, id int64) error
	Portfolio(ctx context.Context, wsID int64) ([]assessment.PortfolioEntry, error)

	CreateRound(ctx context.Context, wsID, clientID int64, r *assessment.Round) error
	Round(ctx context.Context, wsID, id int64) (*assessment.Round, error)
	RoundByCode(ctx context.Context, code string) (*assessment.Round, error)
	OpenRoundByShortCode(ctx context.Context, short string) (*assessment.Round, error)
	Rounds(ctx context.Context, wsID, clientID int64) ([]assessment.Round, error)
	SetRoundRevealed(ctx context.Context, wsID, id int64, revealed bool) error
	CloseRound(ctx context.Context, q *assessment.Questionnaire, wsID, id int64) (*assessment.Round, error)
	SaveParticipant(ctx context.Context, code, tokenHash string, replace bool, p *assessment.Participant) error
	Participant(ctx context.Context, roundID int64, tokenHash string) (*assessment.Participant, error)
	RoundParticipants(ctx context.Context, wsID, roundID int64) ([]assessment.Participant, error)

	AddBattle(ctx context.Context, wsID, roundID int64, b *assessment.Battle) error
	UpdateBattle(ctx context.Context, wsID int64, b *assessment.Battle) error
	DeleteBattle(ctx context.Context, wsID, roundID, id int64) error
	Battles(ctx context.Context, wsID, roundID int64) ([]assessment.Battle, error)
}

// Login limits: an account is locked after 5 failed logins in 15 minutes, an IP address
// after 20 (enough for an office behind one address, too few to guess passwords).
const (
	loginWindow     = 15 * time.Minute
	maxFailsAccount = 5
	maxFailsIP      = 20
	sessionTTL      = 12 * time.Hour
	sessionCookie   = "loyalty_session"
	csrfField       = "_csrf"
	// loginCSRFCookie carries the login form's double-submit token. A login has no session
	// yet to hold a CSRF token, so the token lives in a cookie only /login receives, and
	// the form echoes it: another site can make a browser send the form, but cannot read or
	// set the cookie, so it cannot sign a victim in to the attacker's account.
	loginCSRFCookie = "loyalty_login_csrf"
	// loginCSRFTTL is how long a login form stays usable.
	loginCSRFTTL = time.Hour
)

// Participation limits: an address that named 20 workshop codes that do not exist in 15
// minutes must wait. A short code has 40 bits, so guessing one takes billions of tries; a
// room of participants mistyping now and then never gets near the limit.
const (
	joinWindow    = 15 * time.Minute
	maxJoinMisses = 20
)

// workspace is the consultant workspace's part of the server.
type workspace struct {
	store        WorkspaceStore
	ipLimit      *auth.Limiter
	accountLimit *auth.Limiter
	// joinLimit counts unknown workshop codes per address.
	joinLimit *auth.Limiter
	live      liveCache
}

func newWorkspace(cfg Config) *workspace {
	if cfg.Workspace == nil {
		return nil
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &workspace{
		store:        cfg.Workspace,
		ipLimit:      auth.NewLimiter(maxFailsIP, loginWindow, now),
		accountLimit: auth.NewLimiter(maxFailsAccount, loginWindow, now),
		joinLimit:    auth.NewLimiter(maxJoinMisses, joinWindow, now),
	}
}

// workspaceRoutes registers the consultant workspace, the participants' pages and the
// workspace API. Without a WorkspaceStore there is no workspace.
func (s *Server) workspaceRoutes() {
	if s.ws == nil {
		return
	}
	e := s.echo
	e.GET("/login", s.loginForm)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout, s.requireSession, s.checkCSRF)

	w := e.Group("/w", s.requireSession, s.checkCSRF)
	w.GET("", s.clientsPage)
	w.GET("/clients", s.clientsPage)
	w.GET("/clients/new", s.newClientForm)
	w.POST("/clients", s.createClient)
	w.GET("/clients/:id", s.clientPage)
	w.GET("/clients/:id/edit", s.editClientForm)
	w.POST("/clients/:id", s.updateClient)
	w.POST("/clients/:id/archive", s.archiveClient)
	w.GET("/clients/:id/delete", s.deleteClientForm)
	w.POST("/clients/:id/delete", s.deleteClient)
	w.POST("/clients/:id/rounds", s.openRound)
	w.GET("/clients/:id/compare", s.compareRounds)
	w.GET("/rounds/:id", s.dashboard)
	w.GET("/rounds/:id/live", s.dashboardLive)
	w.GET("/rounds/:id/qr.svg", s.roundQR)
	w.POST("/rounds/:id/reveal", s.revealRound)
	w.POST("/rounds/:id/close", s.closeRound)
	w.GET("/rounds/:id/report", s.roundReport)
	w.POST("/rounds/:id/battles", s.addBattle)
	w.POST("/rounds/:id/battles/:bid", s.updateBattle)
	w.POST("/rounds/:id/battles/:bid/delete", s.deleteBattle)
	w.GET("/portfolio", s.portfolio)
	w.GET("/members", s.membersPage)
	w.POST("/members", s.addMember)
	w.POST("/members/:id/role", s.setMemberRole)
	w.GET("/members/:id/remove", s.removeMemberForm)
	w.POST("/members/:id/remove", s.removeMember)

	e.GET("/j", s.joinForm, s.limitJoin)
	e.GET("/j/:code", s.participate, s.limitJoin)
	e.POST("/j/:code", s.submitParticipation, s.limitJoin)
	e.GET("/j/:code/room", s.roomView, s.limitJoin)

	api := "/api/v1"
	e.POST(api+"/clients", s.apiCreateClient, s.requireToken)
	e.GET(api+"/clients", s.apiListClients, s.requireToken)
	e.POST(api+"/clients/:id/rounds", s.apiCreateRound, s.requireToken)
	e.GET(api+"/rounds/:id", s.apiGetRound, s.requireToken)
	e.POST(api+"/rounds/:id/close", s.apiCloseRound, s.requireToken)
	e.POST(api+"/join/:code", s.apiJoin, s.limitJoin)
}

const (
	userKey = "ws.user"
	csrfKey = "ws.csrf"
)

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
			sess, err = s.ws.store.Session(c.Request().Context(), auth.HashToken(ck.Value))
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
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
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
		u, err := s.ws.store.APITokenUser(c.Request().Context(), auth.HashToken(strings.TrimSpace(tok)))
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
	if u != nil {
		p.UserName, p.Workspace, p.Admin = u.Name, u.Workspace, u.IsAdmin()
	}
	return p
}

// safeNext returns next if it is a local workspace path, and /w otherwise, so the login
// form cannot be used to redirect anyone to another site.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/w") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
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
	c.SetCookie(&http.Cookie{Name: loginCSRFCookie, Value: p.CSRF, Path: "/login", MaxAge: int(loginCSRFTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(c)})
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, status, views.Login(p))
}

// login checks an email and password. The form must carry the token of its cookie (403
// otherwise, before anything else). Failures count against the IP address and the account;
// either limit reached answers 429 before any password is checked. Unknown accounts take
// as long as known ones.
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
	ip := c.RealIP()
	blockedIP, waitIP := s.ws.ipLimit.Blocked(ip)
	blockedAcct, waitAcct := s.ws.accountLimit.Blocked(email)
	if blockedIP || blockedAcct {
		wait := max(waitIP, waitAcct)
		c.Response().Header().Set("Retry-After", strconvSeconds(wait))
		p.Error = l.N("ws.login.locked", int(wait.Minutes())+1)
		return s.renderLogin(c, http.StatusTooManyRequests, p)
	}
	u, hash, err := s.ws.store.UserByEmail(ctx, email)
	ok := false
	switch {
	case err == nil && len(pw) <= assessment.MaxPassword:
		if ok, err = auth.CheckPassword(ctx, hash, pw); err != nil {
			return err
		}
	case err == nil:
	case assessment.ErrorCode(err) == assessment.ENOTFOUND:
		auth.CheckNoPassword(ctx, pw)
	default:
		return err
	}
	if !ok {
		s.ws.ipLimit.Fail(ip)
		s.ws.accountLimit.Fail(email)
		p.Error = l.T("ws.login.wrong")
		return s.renderLogin(c, http.StatusUnauthorized, p)
	}
	s.ws.accountLimit.Reset(email)
	token, tokenHash := auth.NewToken()
	csrf, _ := auth.NewToken()
	expires := s.now().Add(sessionTTL)
	if err := s.ws.store.CreateSession(ctx, u.ID, tokenHash, csrf, expires); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires, MaxAge: int(sessionTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	c.SetCookie(&http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(c)})
	return c.Redirect(http.StatusSeeOther, p.Next)
}

// logout ends the session on the server, so the cookie is worthless even if it was copied.
func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.ws.store.DeleteSession(c.Request().Context(), auth.HashToken(ck.Value)); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	return c.Redirect(http.StatusSeeOther, "/login")
}

func strconvSeconds(d time.Duration) string { return strconv.Itoa(int(d.Seconds()) + 1) }
