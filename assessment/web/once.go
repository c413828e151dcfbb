package web

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/auth"
)

// This file makes the forms and API calls that create something take effect once (issue 16:
// three taps on a slow network stored three results; Back and Send stored a second one).
//
//   - Forms (/test, /j/{code}) carry a one-time id in the hidden field "once", made when the
//     page is rendered. The first POST with it stores the result and the id with it, in one
//     transaction; every repeat is sent to the first result (303) without storing anything,
//     and a repeat with other answers (changed after Back) gets the page saying it was sent
//     already, with the link to the result (409). app.js also greys the button out while
//     the form is on its way, but the server does not rely on it.
//   - The API takes an Idempotency-Key header on POST /api/v1/assessments: the same key with
//     the same body gets the first response again (status, body, Location), the same key
//     with another body 422.
//
// Who can present a key: nobody signs in to send a test, so a key is a bearer secret, like the
// result link it leads to. It must be long (assessment.NewOnce), it is stored as its SHA-256,
// its response is given only for the same request (the same body: the answers themselves),
// and each key is scoped by what it is for: a form's id cannot be replayed against the API,
// one round's against another round's.

// onceField is the form field carrying a form's one-time id.
const onceField = "once"

// idempotencyHeader is the API's key header (draft-ietf-httpapi-idempotency-key-header).
const idempotencyHeader = "Idempotency-Key"

// sentCookie remembers, for an hour and only on /test, the one-time id of the test this
// browser sent last, so that Back to the form says it was sent, with the link to the result.
const (
	sentCookie = "loyalty_sent"
	sentTTL    = time.Hour
)

// Scopes of the keys.
const (
	onceScopeTest     = "form:test"
	onceScopeAPITest  = "api:assessments"
	onceScopeJoinForm = "form:join:" // + the round's id
)

// newOnceID returns a fresh one-time id for a form: 256 random bits.
func newOnceID() string {
	id, _ := auth.NewToken()
	return id
}

// formOnce returns the Once of a form's one-time id in scope, or nil when the form carries
// none (a form rendered before this version, or a hand-made request: it is stored as before,
// without protection against repeats). The request is every field but the id itself, in a
// fixed order.
func formOnce(scope string, form url.Values) (*assessment.Once, error) {
	id := form.Get(onceField)
	if id == "" {
		return nil, nil
	}
	rest := url.Values{}
	for k, v := range form {
		if k != onceField {
			rest[k] = v
		}
	}
	return assessment.NewOnce(scope, id, []byte(rest.Encode()))
}

// apiOnce reads the Idempotency-Key of an API request and the body it names, and puts the
// body back for the handler to decode. It returns nil when there is no key.
func apiOnce(c echo.Context, scope string) (*assessment.Once, error) {
	key := c.Request().Header.Get(idempotencyHeader)
	if key == "" {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxBodyBytes+1))
	if err != nil {
		return nil, readError(err)
	}
	if len(body) > MaxBodyBytes {
		return nil, errTooLarge
	}
	c.Request().Body = io.NopCloser(bytes.NewReader(body))
	req := c.Request().Method + " " + c.Request().URL.Path + "\n" + string(body)
	return assessment.NewOnce(scope, strings.TrimSpace(key), []byte(req))
}

// replay answers a repeated API request with the first response.
func replay(c echo.Context, r *assessment.OnceResponse) error {
	h := c.Response().Header()
	if r.Location != "" {
		h.Set("Location", r.Location)
	}
	h.Set("Idempotent-Replayed", "true")
	return c.Blob(r.Status, echo.MIMEApplicationJSON, r.Body)
}

// setSentCookie remembers the one-time id of the test this browser just sent.
func (s *Server) setSentCookie(c echo.Context, id string) {
	c.SetCookie(&http.Cookie{Name: sentCookie, Value: id, Path: "/test", MaxAge: int(sentTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

// sentResult returns the address of the result this browser sent last from /test (its
// sentCookie) and the one-time id it was sent with, or "" when there is none or the result
// has been deleted since.
func (s *Server) sentResult(c echo.Context) (location, id string, err error) {
	ck, err := c.Cookie(sentCookie)
	if err != nil || ck.Value == "" {
		return "", "", nil
	}
	once, err := assessment.NewOnce(onceScopeTest, ck.Value, nil)
	if err != nil {
		return "", "", nil // not a cookie this server set
	}
	once.RequestHash = "" // any request: this only looks the key up
	r, err := s.db.assessments.OnceResponse(c.Request().Context(), once)
	if err != nil || r == nil {
		return "", "", err
	}
	return r.Location, ck.Value, nil
}
