package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// statusOf maps domain error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	assessment.EINVALID:      http.StatusUnprocessableEntity,
	assessment.ENOTFOUND:     http.StatusNotFound,
	assessment.ECONFLICT:     http.StatusConflict,
	assessment.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	assessment.EUNAUTHORIZED: http.StatusUnauthorized,
	assessment.EFORBIDDEN:    http.StatusForbidden,
	assessment.ETOOMANY:      http.StatusTooManyRequests,
	assessment.EINTERNAL:     http.StatusInternalServerError,
}

// handleError is echo's error handler: API paths get JSON, pages get an HTML page. Internal
// errors are logged and shown only as a generic sentence.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	msg := ""
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status = he.Code
		msg = http.StatusText(status)
		if m, ok := he.Message.(string); ok && status < 500 {
			msg = m
		}
		if status == http.StatusRequestEntityTooLarge {
			msg = "the request body is larger than 64 KiB"
		}
	default:
		code := assessment.ErrorCode(err)
		status = statusOf[code]
		msg = assessment.ErrorMessage(err)
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
		msg = "something went wrong on our side; please try again"
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		_ = c.JSON(status, map[string]string{"error": msg})
		return
	}
	if c.Get(langKey) == nil {
		c.Set(langKey, s.acceptLanguage(c.Request().Header.Get("Accept-Language")))
	}
	l := loc(c)
	p := views.ErrorPage{Page: s.page(c, "error.title"), Heading: l.T("error.title"), Text: l.T("error.text")}
	if status == http.StatusNotFound {
		p.Title, p.Heading, p.Text = l.T("notfound.title"), l.T("notfound.title"), l.T("notfound.text")
	} else if status < 500 && msg != "" {
		p.Text = msg
	}
	if rerr := render(c, status, views.NotFound(p)); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, http.StatusText(status))
	}
}
