package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// englishSentences returns the English text of every catalogue message without placeholders
// that is long enough to be a sentence (four words or more), not a label such as "Must Win
// Battles" that the languages share.
func englishSentences() []string {
	en := views.Loc{Lang: "en"}
	var out []string
	for _, k := range views.Keys() {
		s := en.T(k)
		if len(strings.Fields(s)) < 4 || strings.Contains(s, "{{") {
			continue
		}
		out = append(out, s)
	}
	return out
}

// mainText returns the visible text of a page's <main>, where error messages are shown.
func mainText(t *testing.T, body string) string {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(d.Find("main").Text()), " ")
}

// errorPath is a request that ends on an error page, the status it must get and a sentence
// the page must show (when the test knows it exactly).
type errorPath struct {
	name   string
	res    *response
	status int
	want   string
}

// TestErrorPagesAreTranslated walks every error path a user can meet on a page — an expired
// form, a body that is too large, a rate limit, an invalid field, an unknown address — in
// Danish, Swedish and Norwegian, and checks that the page says it in that language and shows
// no English sentence of the catalogue.
func TestErrorPagesAreTranslated(t *testing.T) {
	t.Parallel() // mostly waiting (on Chromium or password hashing): let other tests run meanwhile
	for _, lang := range []string{"da", "sv", "nb"} {
		t.Run(lang, func(t *testing.T) {
			e := newWSEnv(t)
			l := views.Loc{Lang: lang}
			english := englishSentences()
			ann := e.login("ann@alpha.example")
			ann.get("/w?lang=" + lang) // the language cookie
			visitor := e.browser()
			visitor.get("/?lang=" + lang)
			room := e.exportRoom("Acme", "Ann") // one finished: too few for per-person answers

			paths := []errorPath{
				{
					name:   "expired form",
					res:    ann.post("/w/clients", url.Values{"_csrf": {"stale"}, "name": {"Acme"}}),
					status: http.StatusForbidden, want: l.T(assessment.MsgFormExpired),
				},
				{
					name: "too large",
					res: visitor.post("/test", url.Values{"company": {strings.Repeat("x", MaxBodyBytes)}},
						"Content-Type", "application/x-www-form-urlencoded"),
					status: http.StatusRequestEntityTooLarge, want: l.F(assessment.MsgTooLarge, views.Args{"Max": MaxBodyBytes >> 10}),
				},
				{
					name:   "invalid field",
					res:    visitor.post("/test", uniform(3, 4).with(7, 9, 4).form()),
					status: http.StatusUnprocessableEntity,
					want: l.Hint(assessment.FieldError{Competency: 7, Field: assessment.FieldAsIs, Rule: assessment.RuleRange,
						Args: assessment.Args{"Min": 1, "Max": 5, "Value": "9"}}),
				},
				{
					name: "invalid field in a workspace form", res: ann.postCSRF("/w/clients", url.Values{"name": {""}}),
					status: http.StatusUnprocessableEntity, want: l.Hint(assessment.Required("company.name")),
				},
				{name: "not found", res: visitor.get("/r/nope"), status: http.StatusNotFound, want: l.T("notfound.text")},
				{name: "no such client", res: ann.get("/w/clients/999999"), status: http.StatusNotFound, want: l.T("notfound.text")},
				{name: "wrong method", res: visitor.post("/benchmark", url.Values{}), status: http.StatusMethodNotAllowed, want: l.T(assessment.MsgMethod)},
				{name: "export format", res: ann.get(fmt.Sprintf("/w/rounds/%d/export.ods", room.round.ID)), status: http.StatusUnprocessableEntity,
					want: l.Problem(assessment.Choice("format", "ods", []string{"xlsx", "csv"}))},
				{name: "CSV of too few answers", res: ann.get(fmt.Sprintf("/w/rounds/%d/export.csv", room.round.ID)), status: http.StatusConflict,
					want: l.F(assessment.MsgExportDetail, views.Args{"Min": 3, "Finished": 1})},
			}
			// Rate limited: unknown workshop codes, then a locked sign-in.
			for range maxJoinMisses {
				visitor.get("/j?code=ZZZZ-ZZZZ")
			}
			paths = append(paths, errorPath{"rate limited join", visitor.get("/j?code=ZZZZ-ZZZZ"), http.StatusTooManyRequests, ""})
			locked := e.browser()
			locked.get("/login?lang=" + lang)
			var last *response
			for range maxFailsPair + 1 {
				last = locked.signIn(url.Values{"email": {"carl@alpha.example"}, "password": {"wrong password!"}})
			}
			paths = append(paths, errorPath{"rate limited sign-in", last, http.StatusTooManyRequests, ""})

			for _, p := range paths {
				if p.res.StatusCode != p.status {
					t.Errorf("%s: status %d, want %d", p.name, p.res.StatusCode, p.status)
					continue
				}
				text := mainText(t, p.res.Text)
				if p.want != "" && !strings.Contains(text, p.want) {
					t.Errorf("%s: page does not say %q; it says %q", p.name, p.want, text)
				}
				for _, en := range english {
					if strings.Contains(text, en) {
						t.Errorf("%s: %s page shows the English %q", p.name, lang, en)
					}
				}
				if strings.Contains(text, "error.") || strings.Contains(text, "hint.") || strings.Contains(text, "problem.") {
					t.Errorf("%s: page shows a message key: %q", p.name, text)
				}
			}
		})
	}
}

// TestAPIErrorsAreEnglish checks that the API answers in English, from the same catalogue,
// whatever language the caller's browser prefers.
func TestAPIErrorsAreEnglish(t *testing.T) {
	e := newWSEnv(t)
	c := e.browser()
	res := c.api(http.MethodPost, "/api/v1/assessments", "", `{"lang":"da","answers":[]}`, "Accept-Language", "da", uncheckedRequest, "no answers on purpose")
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("POST = %d, want 422", res.StatusCode)
	}
	if want := `"message":"competency 1: the AS-IS score is missing"`; !strings.Contains(res.Text, want) {
		t.Errorf("body = %.300s, want it to contain %s", res.Text, want)
	}
	if want := fmt.Sprintf(`"error":"%d fields need attention"`, 2*assessment.CompetencyCount); !strings.Contains(res.Text, want) {
		t.Errorf("body = %.300s, want it to contain %s", res.Text, want)
	}
}
