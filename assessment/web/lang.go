package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/static"
	"github.com/loyalty-cx/loyalty/views"
)

const (
	langCookie = "lang"
	langKey    = "lang"
	// uiLangKey keeps the reader's language once documentLang has switched the request to a
	// document's.
	uiLangKey = "lang.ui"
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

// languageMatcher matches Accept-Language against langs (golang.org/x/text/language: BCP 47
// tags, q-values, q=0 as "not acceptable", "no" and "nn" as Norwegian). English comes first
// when the UI has it, because the matcher answers its first language when none is acceptable.
func languageMatcher(langs []string) (language.Matcher, []string) {
	order := slices.Clone(langs)
	if i := slices.Index(order, "en"); i > 0 {
		order = append(append([]string{"en"}, order[:i]...), order[i+1:]...)
	}
	tags := make([]language.Tag, len(order))
	for i, l := range order {
		tags[i] = language.Make(l)
	}
	return language.NewMatcher(tags), order
}

// acceptLanguage returns the supported language the client prefers most, or English (the
// UI's first language without English) when it accepts none of them. A header that cannot be
// parsed counts as absent.
func (s *Server) acceptLanguage(header string) string {
	prefs, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(prefs) == 0 {
		return s.langOrder[0]
	}
	_, i, conf := s.langMatcher.Match(prefs...)
	if conf == language.No {
		return s.langOrder[0]
	}
	return s.langOrder[i]
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

// participantPage is page for a workshop participant's pages, whose footer promises what a
// participant gets (anonymity in the room) rather than what the five-minute test does.
func (s *Server) participantPage(c echo.Context, title string) views.Page {
	p := s.page(c, title)
	p.Audience = views.AudienceParticipant
	return p
}

// documentLang makes the rest of the request speak lang, a round's language, when the UI has
// it: a hand-out (the round's report, the comparison, the team's result) is the round's
// document, printed and handed over in its language whatever language the reader's pages
// speak. It returns the reader's language, which the page's frame keeps (views.Page.UILang).
func (s *Server) documentLang(c echo.Context, lang string) string {
	ui, ok := c.Get(uiLangKey).(string)
	if !ok {
		ui = loc(c).Lang
		c.Set(uiLangKey, ui)
	}
	if slices.Contains(s.langs, lang) {
		c.Set(langKey, lang)
	}
	return ui
}
