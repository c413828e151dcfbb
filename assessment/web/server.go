// Package web is the HTTP adapter of the assessment: echo routes, thin handlers that parse,
// call the domain and the store, build view models and render templ views, plus the JSON API.
package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/text/language"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/store"
	"github.com/loyalty-cx/loyalty/static"
)

// Config wires a Server.
type Config struct {
	Questionnaire *assessment.Questionnaire
	// Store is the database (assessment/store lists what it must do).
	Store store.Store
	// Demo makes synthetic (demo) companies count in benchmarks, with a visible notice.
	Demo   bool
	Logger *slog.Logger
	// TrustProxy makes the server take the client address from X-Forwarded-For; set it only
	// behind a reverse proxy that overwrites that header.
	TrustProxy bool
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// LivePoll is how often live pages (the workshop dashboard) ask the server for changes;
	// 0 means the default, 2 s. Tests make it short so that no test waits on a clock.
	LivePoll time.Duration
	// ResultCacheSize is how many rendered result pages are kept (0: the default, 2048;
	// negative: none, so that benchmarks measure rendering).
	ResultCacheSize int
	// BaseURL is the public address of the app ("https://loyalty.example"), checked by
	// ParseBaseURL: every absolute link and QR code is built on it, never on the request's
	// Host header (baseurl.go). Production must set it.
	BaseURL string
	// Addr is the listen address. Without a BaseURL, a server listening on a loopback or
	// wildcard address offers passkeys on http://localhost:PORT (passkeys.go).
	Addr string
	// Retention is the operator's retention period, which the privacy page states; the zero
	// period is none. (cmd/loyalty applies it; the web layer only tells.)
	Retention assessment.Period
	// Metrics, when set, counts requests, submissions and releases (metrics.go); the caller
	// registers it and serves it on an address of its own.
	Metrics *Metrics
	// Noise is where the noise of benchmark releases comes from (assessment/noise.go); nil
	// means assessment.CryptoNoise, exact draws from crypto/rand. Tests pass a sampler on a
	// seeded generator, or one that draws no noise when they check statistics worked out by
	// hand.
	Noise assessment.NoiseSource
	// Mail says whether email leaves the machine and how to wake the outbox's worker.
	Mail MailConfig
	// Domains are the mail domains verification by work email refuses (free-mail,
	// disposable, the operator's -blocked-domains); nil means the built-in lists.
	Domains *assessment.DomainLists
	// Sealer encrypts members' TOTP secrets under the operator's key (-secret-key); nil
	// stores them marked plain (docs/privacy.md says what that means).
	Sealer *auth.Sealer
	// StreamLimits bound the live streams (events.go) per client address and per round.
	StreamLimits StreamLimits
	// Heartbeat is how often an idle live stream sends a comment so that proxies keep it
	// open; 0 means 25 s.
	Heartbeat time.Duration
	// Ticker makes the heartbeat's ticker (nil: time.NewTicker); tests pass one they tick.
	Ticker func(time.Duration) (<-chan time.Time, func())
}

// MailConfig is what the web layer knows of email: messages go into the outbox (the store),
// and a worker (assessment/email) sends them.
type MailConfig struct {
	// Delivers is true when a relay is configured (-smtp): pages then say a message was sent;
	// otherwise that it was written to the server log, or they offer the link itself.
	Delivers bool
	// Wake tells the worker a message is waiting; nil when no worker runs in this process
	// (tests run one themselves).
	Wake func()
}

// Server is the web application.
type Server struct {
	q *assessment.Questionnaire
	// db is the database, by concern (stores.go).
	db    stores
	demo  bool
	pages *pageCache
	// trustProxy makes X-Forwarded-For and X-Forwarded-Proto count (behind a proxy only).
	trustProxy bool
	log        *slog.Logger
	now        func() time.Time
	livePoll   time.Duration
	langs      []string
	// langMatcher matches Accept-Language against langOrder, langs with English first (lang.go).
	langMatcher language.Matcher
	langOrder   []string
	echo        *echo.Echo
	static      http.Handler
	ws          *workspace
	// baseURL is Config.BaseURL normalised, or "" (baseurl.go).
	baseURL string
	// passkeys is the WebAuthn relying party, nil when this server cannot offer passkeys
	// (passkeys.go).
	passkeys *webauthn.WebAuthn
	// retention is Config.Retention, for the privacy page.
	retention assessment.Period
	// sealer is Config.Sealer.
	sealer *auth.Sealer
	// noise draws the noise of releases; releaseMu makes one release at a time in this
	// process, and guards noise, which is not safe for concurrent use.
	noise     assessment.NoiseSource
	releaseMu sync.Mutex
	// metrics is Config.Metrics, or nil; routePatterns holds every path of the route table,
	// the only route labels metrics use.
	metrics       *Metrics
	routePatterns map[string]bool
	// draining is set by Drain when the process is about to stop: /readyz answers 503 so
	// that load balancers stop sending requests, while the server still serves them.
	draining atomic.Bool
	// mail is Config.Mail.
	mail MailConfig
	// domains is Config.Domains (verification.go).
	domains *assessment.DomainLists
	// events is the live push (events.go).
	events *events
}

// resultPageCacheSize bounds the result page cache (about 5 KB a page, gzipped).
const resultPageCacheSize = 2048

func cacheSize(n int) int {
	if n == 0 {
		return resultPageCacheSize
	}
	return max(n, 0)
}

// defaultLivePoll is how often a live page asks for changes: often enough that the room sees
// an answer within about two seconds, rarely enough that 50 phones cost nothing.
const defaultLivePoll = 2 * time.Second

// MaxBodyBytes bounds every request body; the biggest legitimate one (a full test) is a
// few kilobytes.
const MaxBodyBytes = 64 << 10

// limitBody is the one body limit of every route: a body that announces more than
// MaxBodyBytes is refused with 413 before it is read, and one that turns out longer stops
// being read at the limit (readError then answers 413 too).
//
// A form body is read here, once, for every route: FormValue, which handlers use for single
// fields, drops the error of reading the body, so a chunked body over the limit used to reach
// a handler as an empty form (an "expired" sign-in, a participant with no answers). Reading
// it here makes it 413, or 400 when it is not a form encoding, wherever it is sent.
func limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > MaxBodyBytes {
			return errTooLarge
		}
		if req.Body == nil || req.Body == http.NoBody {
			return next(c)
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, MaxBodyBytes)
		// The API reads JSON whatever the Content-Type says (docs/api.md): parsing its body as
		// a form here would leave decodeJSON nothing, as for `curl -d '{…}'`, whose default
		// type is a form's.
		if isForm(req) && !strings.HasPrefix(req.URL.Path, "/api/") {
			if _, err := c.FormParams(); err != nil {
				return readError(err)
			}
		}
		return next(c)
	}
}

// isForm reports whether req carries an HTML form body, the kind ParseForm reads.
func isForm(req *http.Request) bool {
	switch req.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return false
	}
	ct, _, _ := strings.Cut(req.Header.Get(echo.HeaderContentType), ";")
	ct = strings.ToLower(strings.TrimSpace(ct))
	return ct == echo.MIMEApplicationForm || ct == echo.MIMEMultipartForm
}

// New returns a Server with every route registered.
func New(cfg Config) *Server {
	s := &Server{
		q:          cfg.Questionnaire,
		db:         newStores(cfg.Store),
		demo:       cfg.Demo,
		pages:      newPageCache(cacheSize(cfg.ResultCacheSize)),
		trustProxy: cfg.TrustProxy,
		log:        cfg.Logger,
		now:        cfg.Now,
		static:     static.Handler(),
		ws:         newWorkspace(cfg),
		retention:  cfg.Retention,
		mail:       cfg.Mail,
		domains:    cfg.Domains,
		sealer:     cfg.Sealer,
		noise:      cfg.Noise,
		metrics:    cfg.Metrics,
		events:     newEvents(cfg),
	}
	if s.noise == nil {
		s.noise = assessment.CryptoNoise()
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	// Every line logged with a request's context carries its ID (requestid.go).
	s.log = slog.New(requestIDHandler{s.log.Handler()})
	if s.now == nil {
		s.now = time.Now
	}
	if s.livePoll = cfg.LivePoll; s.livePoll <= 0 {
		s.livePoll = defaultLivePoll
	}
	s.langs = uiLanguages(s.q)
	s.langMatcher, s.langOrder = languageMatcher(s.langs)
	if base, err := ParseBaseURL(cfg.BaseURL); err != nil {
		// cmd/loyalty checks the flag before it gets here; a caller that did not gets the
		// safe behaviour of no base URL, loudly.
		s.log.Error("ignoring the base URL", "err", err)
	} else {
		s.baseURL = base
	}
	if wa, err := newPasskeys(s.baseURL, cfg.Addr); err != nil {
		s.log.Warn("passkeys are off", "reason", err)
	} else {
		s.passkeys = wa
	}
	if s.baseURL == "" {
		s.log.Warn("no base URL set (-base-url or LOYALTY_BASE_URL): QR codes and the API's join_url take the host from the request's Host header; set the public address in production")
	}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.HTTPErrorHandler = s.handleError
	e.Use(s.requestID)
	e.Use(s.logRequests)
	if s.metrics != nil {
		e.Use(s.measure)
	}
	e.Use(s.securityHeaders)
	e.Use(noStoreAPI)
	// The language comes first, so every later refusal is already in the reader's language.
	e.Use(s.language)
	e.Use(limitBody)
	e.Use(compress)
	e.Use(refuseCrossOrigin(http.NewCrossOriginProtection()))
	// Innermost, so that every middleware above sees a panicking handler as an error returned:
	// it becomes a 500 that is logged with its request ID (and its stack) and counted like any
	// other.
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableErrorHandler: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.ErrorContext(c.Request().Context(), "panic", "err", err, "stack", string(stack))
			return fmt.Errorf("panic: %w", err)
		},
	}))
	s.echo = e
	s.routes()
	s.routePatterns = map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method != echo.RouteNotFound {
			s.routePatterns[r.Path] = true
		}
	}
	return s
}

// Drain marks the server as shutting down: from now on /readyz answers 503, so that a load
// balancer stops routing requests here, while every other route goes on serving until the
// caller stops the listener (cmd/loyalty waits for its -shutdown-grace first).
func (s *Server) Drain() { s.draining.Store(true) }

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// secure reports whether the request reached us over TLS, directly or through a trusted
// proxy, so cookies are Secure (and HSTS is sent) exactly when the browser speaks HTTPS.
func (s *Server) secure(c echo.Context) bool {
	if c.IsTLS() {
		return true
	}
	return s.trustProxy && strings.EqualFold(c.Request().Header.Get("X-Forwarded-Proto"), "https")
}

// refuseCrossOrigin refuses state-changing requests that a browser marks as coming from
// another site (CSRF) with 403, through the one error mapping: JSON for the API, a page in
// the reader's language otherwise.
func refuseCrossOrigin(cop *http.CrossOriginProtection) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return assessment.NewError(assessment.EFORBIDDEN, assessment.MsgCrossOrigin, nil)
			}
			return next(c)
		}
	}
}

// securityHeaders sets the headers every response carries. The CSP allows no inline script
// or style: charts get their data from JSON script elements and start from app.js.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		if s.secure(c) {
			// Browsers that once reached us over HTTPS keep to it for a year.
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		return next(c)
	}
}

func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req := c.Request()
		path := req.URL.Path
		// Result tokens, team links, personal links and workshop join codes are credentials:
		// keep them out of logs.
		for _, prefix := range []string{"/r/", "/api/v1/assessments/", "/j/", "/api/v1/join/", "/t/", "/api/v1/teams/", "/i/"} {
			if strings.HasPrefix(path, prefix) {
				path = prefix + "…"
			}
		}
		s.log.LogAttrs(req.Context(), slog.LevelInfo, "request",
			slog.String("method", req.Method), slog.String("path", path),
			slog.Int("status", c.Response().Status),
			// Milliseconds as a number (to the microsecond), which log tools sum and compare
			// without knowing Go's duration text or slog's bare nanoseconds.
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("ip", c.RealIP()))
		return nil
	}
}
