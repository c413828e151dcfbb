package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// This file builds absolute links. A request's Host header is whatever the client wrote, so
// a link built from it can point anywhere: `curl -H 'Host: evil.example' …/r/TOKEN` put
// http://evil.example/r/TOKEN in the share link. The operator therefore names the public
// address (Config.BaseURL, -base-url), and every absolute link is built on it.
//
// Without one, links are relative where a relative link does the job (the result page's
// share link, which the browser completes from the address it used), and the two that
// must be absolute, the QR code of a round and the API's join_url, fall back to the
// request's Host, with a warning at start-up. They are shown to the signed-in consultant who
// sent that request, so a forged Host misleads only its sender; behind a proxy that passes
// on any Host, that stops being true, hence the warning and the documentation.

// ParseBaseURL checks the public address of the app and returns it normalised: an http or
// https origin (scheme, host, optional port) in lower case without a trailing slash. The app
// serves from the root, so a path, a query, a fragment or user information is an error. An
// empty string is no base URL, and no error.
func ParseBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL %q: invalid: %w", raw, err)
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "http" && scheme != "https":
		return "", fmt.Errorf("base URL %q: must start with http:// or https://", raw)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("base URL %q: no host", raw)
	case u.User != nil:
		return "", fmt.Errorf("base URL %q: user information is not allowed", raw)
	case u.Path != "" && u.Path != "/":
		return "", fmt.Errorf("base URL %q: a path is not allowed (the app serves from the root)", raw)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("base URL %q: a query is not allowed", raw)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", fmt.Errorf("base URL %q: a fragment is not allowed", raw)
	}
	return scheme + "://" + strings.ToLower(u.Host), nil
}

// absoluteURL returns path (starting with /) as an absolute link: on the base URL, or
// without one on the scheme and Host of the request (see the top of this file).
func (s *Server) absoluteURL(c echo.Context, path string) string {
	if s.baseURL != "" {
		return s.baseURL + path
	}
	scheme := "http"
	if s.secure(c) {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host + path
}

// shareURL returns the link to show for path on a page: absolute on the base URL, or else
// relative, for the page's script to complete from the address the browser used.
func (s *Server) shareURL(path string) string {
	return s.baseURL + path
}
