package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/static"
	"github.com/loyalty-cx/loyalty/views"
)

const (
	langCookie = "lang"
	langKey    = "lang"
)

// uiLanguages returns the languages both the questionnaire and the UI are translated into,
// in the UI's order.
func uiLanguages(q *assessment.Questionnaire) []string {
	var out []string
	for _, l := range views.Languages {
		if q.HasLanguage(l.Code) {
			out = append(out, l.Code)
		}
	}
	return out
}

// language picks the page language: ?lang= (remembered in a cookie), then the cookie, then
// Accept-Language, then English. An unknown ?lang= is ignored, not an error.
func (s *Server) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang := ""
		if q := c.QueryParam("lang"); q != "" && slices.Contains(s.langs, q) {
			lang = q
			c.SetCookie(&http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
				HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
		}
		if lang == "" {
			if ck, err := c.Cookie(langCookie); err == nil && slices.Contains(s.langs, ck.Value) {
				lang = ck.Value
			}
		}
		if lang == "" {
			lang = s.acceptLanguage(c.Request().Header.Get("Accept-Language"))
		}
		c.Set(langKey, lang)
		// A static file is the same in every language: varying it would only split shared
		// caches by cookie. (An error page varies wherever it answers: handleError.)
		if !strings.HasPrefix(c.Request().URL.Path, static.Prefix) {
			varyLanguage(c.Response().Header())
		}
		return next(c)
	}
}

// acceptLanguage returns the supported language the client prefers most, or "en". Norwegian
// Bokmål is also sent as "no"; both map to "nb".
func (s *Server) acceptLanguage(header string) string {
	best, bestQ := "", -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			var f float64
			if _, err := fmt.Sscan(v, &f); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if base == "no" || base == "nn" {
			base = "nb"
		}
		if slices.Contains(s.langs, base) && q > bestQ {
			best, bestQ = base, q
		}
	}
	if best == "" {
		if slices.Contains(s.langs, "en") {
			return "en"
		}
		return s.langs[0]
	}
	return best
}

// varyLanguage says in h that the response depends on the language cookie and
// Accept-Language, once.
func varyLanguage(h http.Header) {
	for _, v := range h.Values("Vary") {
		if strings.Contains(v, "Accept-Language") {
			return
		}
	}
	h.Add("Vary", "Cookie, Accept-Language")
}

// loc returns the locale chosen for this request.
func loc(c echo.Context) views.Loc {
	l, _ := c.Get(langKey).(string)
	if l == "" {
		l = "en"
	}
	return views.Loc{Lang: l}
}

// page returns the common page model for this request.
func (s *Server) page(c echo.Context, title string) views.Page {
	l := loc(c)
	langs := make([]views.Language, 0, len(s.langs))
	for _, v := range views.Languages {
		if slices.Contains(s.langs, v.Code) {
			langs = append(langs, v)
		}
	}
	return views.Page{Loc: l, Title: l.T(title), Path: switchPath(c.Request().URL), Languages: langs}
}

// switchPath is the current path for the language-switch links: escaped as requested (a
// decoded "?" or "#" would change the link's meaning), and "/" when it starts with "//",
// which a browser reads as a link to another host (a 404 page for "//evil.example" must
// not link there).
func switchPath(u *url.URL) string {
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "/"
	}
	return p
}
