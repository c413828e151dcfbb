package web

import (
	"bytes"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render renders a component into a buffer first, so a failing template produces a clean 500
// instead of a half-sent 200.
func render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// noStoreAPI marks every response of the JSON API as not to be stored by any cache, like
// every rendered page: its answers are as private as the pages, and a result's token is its
// only protection. It runs for every request before anything can refuse one, so that a 403,
// a 404, a 405 or a 413 carries it too (handleError sets it again for errors).
func noStoreAPI(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isAPI(c) {
			c.Response().Header().Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}
