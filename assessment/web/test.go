package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/views"
)

// testForm shows the empty questionnaire. From a result's "retake and compare" link
// (?previous=<its token>) it starts with that result's company profile, never its answers,
// and carries the token in a hidden field; a token that names no result (deleted meanwhile)
// gives the plain form and says so.
func (s *Server) testForm(c echo.Context) error {
	// The form carries a one-time id: no cache may hand the same page to two people.
	c.Response().Header().Set("Cache-Control", "no-store")
	sent, sentID, err := s.sentResult(c)
	if err != nil {
		return err
	}
	if sent != "" {
		// The page links to a result: keep it out of search engines.
		c.Response().Header().Set("X-Robots-Tag", "noindex")
	}
	token := c.QueryParam("previous")
	if token == "" {
		p := s.testPage(c, nil, "", "", profileForm{}, nil)
		p.Sent, p.SentID = sent, sentID
		return render(c, http.StatusOK, views.Test(p))
	}
	// The address carries a result's token: keep it out of search engines.
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	prev, _, err := s.resolvePrevious(c.Request().Context(), token)
	if err != nil {
		return err
	}
	if prev == nil {
		p := s.testPage(c, nil, "", "", profileForm{}, nil)
		p.RetakeMissing = loc(c).T("test.retake.missing")
		p.Sent, p.SentID = sent, sentID
		return render(c, http.StatusOK, views.Test(p))
	}
	co := prev.RetakeForm().Company
	p := s.testPage(c, nil, "", co.Name, profileForm{industry: co.Industry, size: co.Size, country: co.Country, npsYears: co.NPSYears}, nil)
	s.markRetake(c, &p, token, prev)
	p.Sent, p.SentID = sent, sentID
	return render(c, http.StatusOK, views.Test(p))
}

// renderSent answers a form sent again with other answers under the one-time id of a test
// already stored (changed after Back): nothing is stored, and the page says the test was
// sent, with the link to its result, above a fresh form (409).
func (s *Server) renderSent(c echo.Context, location string) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	p := s.testPage(c, nil, "", "", profileForm{}, nil)
	p.Sent, p.SentChanged = location, true
	return render(c, http.StatusConflict, views.Test(p))
}

// markRetake makes the form a retake of prev, whose token it sends back.
func (s *Server) markRetake(c echo.Context, p *views.TestPage, token string, prev *assessment.Assessment) {
	l := loc(c)
	p.Previous = token
	date := formatDate(l, prev.CreatedAt)
	if prev.Company.Name != "" {
		p.RetakeNote = l.F("test.retake.company", views.Args{"Company": prev.Company.Name, "Date": date})
	} else {
		p.RetakeNote = l.F("test.retake", views.Args{"Date": date})
	}
}

// submitTest validates and stores a test sent from the form. Invalid input re-renders the
// form with status 422, every given answer kept and every problem named; success redirects
// (303) to the private result page. A form sent again with the same one-time id (once.go)
// stores nothing and leads to the first result.
func (s *Server) submitTest(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return readError(err)
	}
	once, err := formOnce(onceScopeTest, form)
	if err != nil {
		return err
	}
	if once != nil {
		first, err := s.db.assessments.OnceResponse(c.Request().Context(), once)
		if done, err := s.repeatedTest(c, first, err); done || err != nil {
			return err
		}
	}
	pf := profileForm{industry: form.Get("industry"), size: form.Get("size"), country: form.Get("country"),
		npsYears: form.Get("nps_years"), consent: form.Get("benchmark_consent") != ""}
	sub := assessment.Submission{
		Lang: loc(c).Lang,
		Role: form.Get("role"),
		Company: assessment.Company{Name: form.Get("company"), Industry: pf.industry, Size: pf.size,
			Country: pf.country, NPSYears: pf.npsYears},
		BenchmarkConsent: pf.consent,
	}
	answers, given, parseProblems := s.parseAnswerForm(c)
	sub.Answers = answers
	prev, prevProblems, err := s.resolvePrevious(c.Request().Context(), form.Get("previous"))
	if err != nil {
		return err
	}
	parseProblems = append(parseProblems, prevProblems...)
	a, err := s.q.NewAssessment(sub)
	if err == nil && len(parseProblems) > 0 {
		err = assessment.Invalid(parseProblems)
	}
	if err != nil {
		if assessment.ErrorCode(err) != assessment.EINVALID {
			return err
		}
		problems := mergeProblems(assessment.FieldErrors(err), parseProblems)
		p := s.testPage(c, given, sub.Role, sub.Company.Name, pf, problems)
		// A retake whose earlier result is gone is sent again as a first test.
		if prev != nil {
			s.markRetake(c, &p, form.Get("previous"), prev)
		}
		// Nothing was stored: the corrected form may go with the same id.
		if once != nil {
			p.Once = form.Get(onceField)
		}
		return render(c, http.StatusUnprocessableEntity, views.Test(p))
	}
	if prev != nil {
		a.PreviousID = prev.ID
	}
	first, err := s.db.assessments.CreateAssessmentOnce(c.Request().Context(), a, once, func(token string) assessment.OnceResponse {
		return assessment.OnceResponse{Status: http.StatusSeeOther, Location: "/r/" + token}
	})
	if done, err := s.repeatedTest(c, first, err); done || err != nil {
		return err
	}
	s.metrics.testSubmitted("form")
	if once != nil {
		s.setSentCookie(c, form.Get(onceField))
	}
	return c.Redirect(http.StatusSeeOther, "/r/"+a.Token)
}

// repeatedTest answers a test form whose one-time id was used before (first is its first
// response): the same answers go to the first result, other answers get the page saying
// it was sent. It reports whether it answered.
func (s *Server) repeatedTest(c echo.Context, first *assessment.OnceResponse, err error) (bool, error) {
	switch {
	case errors.Is(err, assessment.ErrOnceMismatch):
		return true, s.renderSent(c, first.Location)
	case err != nil:
		return true, err
	case first != nil:
		return true, c.Redirect(http.StatusSeeOther, first.Location)
	}
	return false, nil
}

// mergeProblems replaces the domain's "missing" for a field the form sent but that could not
// be parsed with the more precise parse problem.
func mergeProblems(domain, parse []assessment.FieldError) []assessment.FieldError {
	if len(parse) == 0 {
		return domain
	}
	type key struct {
		n int
		f string
	}
	parsed := map[key]bool{}
	for _, p := range parse {
		parsed[key{p.Competency, p.Field}] = true
	}
	out := append([]assessment.FieldError(nil), parse...)
	for _, d := range domain {
		if !parsed[key{d.Competency, d.Field}] {
			out = append(out, d)
		}
	}
	return out
}

// testPage builds the form's view model. given holds raw submitted values by field name.
func (s *Server) testPage(c echo.Context, given map[string]string, role, company string, pf profileForm, problems []assessment.FieldError) views.TestPage {
	l := loc(c)
	p := views.TestPage{Page: s.page(c, "test.title"), Role: role, Company: company, Total: len(s.q.Competencies),
		ProfileErrors: map[string]string{}, KeepKey: "loyalty-test:" + s.q.Version, Once: newOnceID()}
	s.profileChoices(l, &p, pf)
	for _, v := range s.q.Scale.Points() {
		p.Scale = append(p.Scale, views.ScaleOption{Value: v, Label: s.q.Scale.Label(v, l.Lang)})
	}
	type key struct {
		n int
		f string
	}
	msgs := map[key]string{}
	for _, fe := range problems {
		msgs[key{fe.Competency, fe.Field}] = l.Hint(fe)
	}
	items := map[int]*views.TestItem{}
	for _, cat := range s.q.Categories {
		th, _ := s.q.Theme(cat.Theme)
		tc := views.TestCategory{Key: cat.Key, Letter: cat.Letter, Name: l.Text(cat.Name), Theme: l.Text(th.Name)}
		for _, comp := range s.q.CategoryCompetencies(cat.Key) {
			it := views.TestItem{
				Number: comp.Number, Name: l.Text(comp.Name), Statement: l.Text(comp.Statement),
				AsIs:      s.chosen(given[fmt.Sprintf("c%d_as_is", comp.Number)]),
				ToBe:      s.chosen(given[fmt.Sprintf("c%d_to_be", comp.Number)]),
				AsIsError: msgs[key{comp.Number, assessment.FieldAsIs}],
				ToBeError: msgs[key{comp.Number, assessment.FieldToBe}],
				Error:     msgs[key{comp.Number, "competency"}],
			}
			if namedLikeAnswer(comp) {
				it.Tag = l.F("test.item.named", views.Args{"Name": it.Name})
				it.Name = capitalize(l.Text(comp.Label))
			}
			if it.AsIs != 0 && it.ToBe != 0 {
				p.Answered++
			}
			tc.Items = append(tc.Items, it)
		}
		p.Categories = append(p.Categories, tc)
	}
	for i := range p.Categories {
		for j := range p.Categories[i].Items {
			it := &p.Categories[i].Items[j]
			items[it.Number] = it
		}
	}
	unanswered := unansweredItems(problems)
	for _, fe := range problems {
		switch fe.Field {
		case "respondent.role":
			p.RoleError = msgs[key{0, fe.Field}]
			p.Errors = append(p.Errors, views.ErrorLink{Anchor: "f-role", Text: l.T("test.role") + ": " + p.RoleError})
		case "participant.name":
			p.NameError = msgs[key{0, fe.Field}]
			p.Errors = append(p.Errors, views.ErrorLink{Anchor: "f-name", Text: l.T("ws.name") + ": " + p.NameError})
		case "company.name":
			p.CompanyError = msgs[key{0, fe.Field}]
			p.Errors = append(p.Errors, views.ErrorLink{Anchor: "f-company", Text: l.T("test.company") + ": " + p.CompanyError})
		case assessment.FieldPrevious:
			p.RetakeMissing = l.Hint(fe)
			p.Errors = append(p.Errors, views.ErrorLink{Anchor: "retake", Text: p.RetakeMissing})
		case "company.industry", "company.size", "company.country", "company.nps_years":
			pfield := profileFields[fe.Field]
			msg := msgs[key{0, fe.Field}]
			p.ProfileErrors[pfield.form] = msg
			p.Errors = append(p.Errors, views.ErrorLink{Anchor: "f-" + pfield.form, Text: l.T(pfield.label) + ": " + msg})
		default:
			name := ""
			if it, ok := items[fe.Competency]; ok {
				name = it.Name
			}
			msg := msgs[key{fe.Competency, fe.Field}]
			if unanswered[fe.Competency] {
				// Both rows of the statement are empty: one entry in the summary, not two.
				if fe.Field == assessment.FieldToBe {
					continue
				}
				msg = l.HintBothMissing()
			}
			p.Errors = append(p.Errors, views.ErrorLink{
				Anchor: fmt.Sprintf("c%d", fe.Competency),
				Text:   fmt.Sprintf("%d %s: %s", fe.Competency, name, msg),
			})
		}
	}
	return p
}

// unansweredItems returns the competencies whose AS-IS and TO-BE are both missing.
func unansweredItems(problems []assessment.FieldError) map[int]bool {
	missing := map[int]int{}
	for _, fe := range problems {
		if fe.Rule == assessment.RuleRequired && (fe.Field == assessment.FieldAsIs || fe.Field == assessment.FieldToBe) {
			missing[fe.Competency]++
		}
	}
	out := map[int]bool{}
	for n, count := range missing {
		if count == 2 {
			out[n] = true
		}
	}
	return out
}

// chosen returns the scale value a raw form value selects, or 0 when it selects none.
func (s *Server) chosen(raw string) int {
	v, err := strconv.Atoi(raw)
	if err != nil || v < s.q.Scale.Min || v > s.q.Scale.Max {
		return 0
	}
	return v
}

// parseAnswerForm reads c1_as_is … c21_to_be. A missing score is MissingScore; a value that
// is not a plain integer (parseScore) is a parse problem. given keeps the raw values to
// re-render the form.
func (s *Server) parseAnswerForm(c echo.Context) ([]assessment.Answer, map[string]string, []assessment.FieldError) {
	given := map[string]string{}
	var answers []assessment.Answer
	var problems []assessment.FieldError
	for _, comp := range s.q.Competencies {
		a := assessment.Answer{Competency: comp.Number}
		for _, f := range []struct {
			field string
			dst   *float64
		}{{assessment.FieldAsIs, &a.AsIs}, {assessment.FieldToBe, &a.ToBe}} {
			name := fmt.Sprintf("c%d_%s", comp.Number, f.field)
			raw := c.FormValue(name)
			given[name] = raw
			*f.dst = assessment.MissingScore
			if raw == "" {
				continue
			}
			v, ok := parseScore(raw)
			if !ok {
				problems = append(problems, assessment.FieldError{Competency: comp.Number, Field: f.field, Rule: assessment.RuleInteger,
					Args: assessment.Args{"Value": strconv.Quote(raw)}})
				continue
			}
			*f.dst = v
		}
		answers = append(answers, a)
	}
	return answers, given, problems
}

// parseScore reads a score as a radio button sends it: a plain decimal integer, "-" allowed,
// no sign "+", no leading zero, no spaces, no decimal point, exponent, hexadecimal, digit
// separator or non-ASCII digit. strconv.ParseFloat takes all of those ("0x1.8p1" is 3), so
// a value no form sends would be stored as if it had been chosen. Whether the integer is on
// the scale is the domain's rule (assessment.Questionnaire.ValidateAnswers).
func parseScore(raw string) (float64, bool) {
	digits := strings.TrimPrefix(raw, "-")
	if digits == "" || (digits[0] == '0' && len(digits) > 1) {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	// Digits only: ParseFloat reads them exactly up to 2⁵³, and a longer integer (even one it
	// rounds to infinity) is far off the scale either way.
	v, _ := strconv.ParseFloat(raw, 64)
	return v, true
}

// namedLikeAnswer reports whether a competency's name is also the name of an answer row or a
// column: competencies 10-12 of the measurement category are called AS-IS, TO-BE and GAP
// (how the company measures its own customer metrics), right above the rows "Today (AS-IS)"
// and "Ambition (TO-BE)". The test titles them by what they measure instead.
func namedLikeAnswer(c assessment.Competency) bool {
	switch c.Key {
	case "as-is", "to-be", "gap":
		return true
	}
	return false
}

// capitalize upper-cases the first letter of a label ("monthly measurement") for a title.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
