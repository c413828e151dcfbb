package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the one error mapping: every handler returns its error, and handleError turns
// it into a status and a body, an RFC 9457 problem (application/problem+json) for the API and
// a page otherwise, with the message translated by views (Loc.Error). The API speaks English.

// statusOf maps domain error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	assessment.EINVALID:      http.StatusUnprocessableEntity,
	assessment.EBADREQUEST:   http.StatusBadRequest,
	assessment.EMETHOD:       http.StatusMethodNotAllowed,
	assessment.ENOTFOUND:     http.StatusNotFound,
	assessment.ECONFLICT:     http.StatusConflict,
	assessment.ESTALE:        http.StatusPreconditionFailed,
	assessment.EGONE:         http.StatusGone,
	assessment.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	assessment.EUNAUTHORIZED: http.StatusUnauthorized,
	assessment.EFORBIDDEN:    http.StatusForbidden,
	assessment.ETOOMANY:      http.StatusTooManyRequests,
	assessment.EUNAVAILABLE:  http.StatusServiceUnavailable,
	assessment.EINTERNAL:     http.StatusInternalServerError,
}

// retryAfter is the Retry-After of a 503 (seconds): long enough for a database restart or a
// failover, short enough that a person who reloads is not turned away for long.
const retryAfter = 30

// pingTimeout bounds the check, after a failure, of whether the database answers at all.
const pingTimeout = 2 * time.Second

// problemType is the RFC 9457 "type" of every problem: "about:blank" says that the problem
// means no more than its status; the domain's code (the "code" member) says which one.
const problemType = "about:blank"

// mimeProblem is the media type of an RFC 9457 problem in JSON.
const mimeProblem = "application/problem+json"

// apiLang is the language of API error messages.
const apiLang = "en"

// errTooLarge is a request body over MaxBodyBytes.
var errTooLarge = assessment.NewError(assessment.ETOOLARGE, assessment.MsgTooLarge, assessment.Args{"Max": MaxBodyBytes >> 10})

// readError classifies a failure to read a request body: over the limit is 413, anything else
// (a client that hung up, a malformed form encoding) 400.
func readError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge
	}
	return assessment.NewError(assessment.EBADREQUEST, assessment.MsgBadRequest, nil)
}

// fromHTTPError turns echo's own errors (no route, wrong method) into domain errors, so they
// are translated like every other.
func fromHTTPError(he *echo.HTTPError) (int, *assessment.Error) {
	switch he.Code {
	case http.StatusNotFound:
		return he.Code, assessment.NewError(assessment.ENOTFOUND, assessment.MsgNotFound, nil)
	case http.StatusMethodNotAllowed:
		return he.Code, assessment.NewError(assessment.EMETHOD, assessment.MsgMethod, nil)
	case http.StatusRequestEntityTooLarge:
		return he.Code, errTooLarge
	}
	if he.Code >= 500 {
		return he.Code, assessment.NewError(assessment.EINTERNAL, assessment.MsgInternal, nil)
	}
	return he.Code, assessment.NewError(assessment.EBADREQUEST, assessment.MsgBadRequest, nil)
}

// isAPI reports whether the request is for the JSON API, which answers errors in JSON.
func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

// problem is the body of every API error: the members of RFC 9457 (type, title, status,
// detail), and as extension members the domain's code, the message again as "error" (the
// body's only member before problems, kept so that clients written then still work) and,
// for a 422, the field problems as "errors".
type problem struct {
	Type   string          `json:"type"`
	Title  string          `json:"title"`
	Status int             `json:"status"`
	Detail string          `json:"detail"`
	Code   string          `json:"code"`
	Error  string          `json:"error"`
	Errors []apiFieldError `json:"errors,omitempty"`
}

// apiFieldError is one entry of a 422 response.
type apiFieldError struct {
	Competency int    `json:"competency,omitempty"`
	Field      string `json:"field"`
	Message    string `json:"message"`
}

// dbUnavailable reports whether a request failed because the database does not answer: any
// internal error is followed by a ping, so that a closed store, a deleted file or a stopped
// PostgreSQL answers 503 with Retry-After (the client may try again) rather than 500 (a bug
// here), whatever the driver's error says.
func (s *Server) dbUnavailable(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pingTimeout)
	defer cancel()
	return s.db.health.Ping(ctx) != nil
}

// handleError is echo's error handler. Internal errors are logged and shown only as a generic
// sentence; when the database does not answer they are a 503 that says so.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var status int
	var e *assessment.Error
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status, e = fromHTTPError(he)
	} else if de, ok := assessment.AsError(err); ok {
		status, e = statusOf[de.Code], de
	}
	if status == 0 || status >= 500 {
		ctx := c.Request().Context()
		if status != http.StatusServiceUnavailable && s.dbUnavailable(ctx) {
			status, e = http.StatusServiceUnavailable, assessment.NewError(assessment.EUNAVAILABLE, assessment.MsgUnavailable, nil)
		}
		s.log.ErrorContext(ctx, "request failed", "method", c.Request().Method, "path", c.Path(), "status", status, "err", err)
		if status != http.StatusServiceUnavailable {
			status, e = http.StatusInternalServerError, assessment.NewError(assessment.EINTERNAL, assessment.MsgInternal, nil)
		}
	}
	h := c.Response().Header()
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	if asJSON, _ := c.Get(jsonErrorsKey).(bool); isAPI(c) || asJSON {
		// The API speaks English; a page's script (jsonErrors) gets the page's language.
		l := views.Loc{Lang: apiLang}
		fieldMsg := l.Problem
		if !isAPI(c) {
			// A page's script shows a field's message beside the field, as the page would.
			l = loc(c)
			fieldMsg = l.Hint
		}
		msg := l.Error(e)
		if e.Code == assessment.EINVALID && len(e.Fields) == 1 {
			msg = fieldMsg(e.Fields[0])
		}
		p := problem{Type: problemType, Title: http.StatusText(status), Status: status, Detail: msg, Code: e.Code, Error: msg}
		if e.Code == assessment.EINVALID {
			p.Errors = make([]apiFieldError, 0, len(e.Fields))
			for _, fe := range e.Fields {
				p.Errors = append(p.Errors, apiFieldError{Competency: fe.Competency, Field: fe.Field, Message: fieldMsg(fe)})
			}
		}
		h.Set("Cache-Control", "no-store")
		h.Set(echo.HeaderContentType, mimeProblem)
		// c.JSON would set application/json over the problem type; the body is written here.
		c.Response().WriteHeader(status)
		_ = json.NewEncoder(c.Response()).Encode(p)
		return
	}
	if c.Get(langKey) == nil {
		c.Set(langKey, s.acceptLanguage(c.Request().Header.Get("Accept-Language")))
	}
	varyLanguage(h)
	l := loc(c)
	p := views.ErrorPage{Page: s.page(c, "error.title"), Heading: l.T("error.title"), Text: l.T("error.text")}
	switch {
	case status == http.StatusNotFound:
		p.Title, p.Heading, p.Text = l.T("notfound.title"), l.T("notfound.title"), l.T("notfound.text")
	case status == http.StatusServiceUnavailable:
		p.Title, p.Heading, p.Text = l.T("unavailable.title"), l.T("unavailable.title"), l.T(assessment.MsgUnavailable)
	case status < 500:
		p.Text = l.Error(e)
	}
	if rerr := render(c, status, views.NotFound(p)); rerr != nil {
		s.log.ErrorContext(c.Request().Context(), "render error page", "err", rerr)
		_ = c.String(status, http.StatusText(status))
	}
}
