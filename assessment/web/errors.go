package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// This file is the one error mapping: every handler returns its error, and handleError turns
// it into a status and a body, a JSON object for the API and a page otherwise, with the
// message translated by views (Loc.Error). The API speaks English.

// statusOf maps domain error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	assessment.EINVALID:      http.StatusUnprocessableEntity,
	assessment.EBADREQUEST:   http.StatusBadRequest,
	assessment.ENOTFOUND:     http.StatusNotFound,
	assessment.ECONFLICT:     http.StatusConflict,
	assessment.EGONE:         http.StatusGone,
	assessment.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	assessment.EUNAUTHORIZED: http.StatusUnauthorized,
	assessment.EFORBIDDEN:    http.StatusForbidden,
	assessment.ETOOMANY:      http.StatusTooManyRequests,
	assessment.EINTERNAL:     http.StatusInternalServerError,
}

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
		return he.Code, assessment.NewError(assessment.EBADREQUEST, assessment.MsgMethod, nil)
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

// apiFieldError is one entry of a 422 response.
type apiFieldError struct {
	Competency int    `json:"competency,omitempty"`
	Field      string `json:"field"`
	Message    string `json:"message"`
}

// handleError is echo's error handler. Internal errors are logged and shown only as a generic
// sentence.
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
		s.log.ErrorContext(c.Request().Context(), "request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
		status, e = http.StatusInternalServerError, assessment.NewError(assessment.EINTERNAL, assessment.MsgInternal, nil)
	}
	if isAPI(c) {
		l := views.Loc{Lang: apiLang}
		body := map[string]any{"error": l.Error(e)}
		if e.Code == assessment.EINVALID {
			fes := make([]apiFieldError, 0, len(e.Fields))
			for _, fe := range e.Fields {
				fes = append(fes, apiFieldError{Competency: fe.Competency, Field: fe.Field, Message: l.Problem(fe)})
			}
			body["errors"] = fes
		}
		_ = c.JSON(status, body)
		return
	}
	if c.Get(langKey) == nil {
		c.Set(langKey, s.acceptLanguage(c.Request().Header.Get("Accept-Language")))
	}
	l := loc(c)
	p := views.ErrorPage{Page: s.page(c, "error.title"), Heading: l.T("error.title"), Text: l.T("error.text")}
	switch {
	case status == http.StatusNotFound:
		p.Title, p.Heading, p.Text = l.T("notfound.title"), l.T("notfound.title"), l.T("notfound.text")
	case status < 500:
		p.Text = l.Error(e)
	}
	if rerr := render(c, status, views.NotFound(p)); rerr != nil {
		s.log.ErrorContext(c.Request().Context(), "render error page", "err", rerr)
		_ = c.String(status, http.StatusText(status))
	}
}
