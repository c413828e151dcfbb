package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestPrintTeamInBrowser prints the team's result of an executive and three colleagues, as
// the executive hands it to the leadership team: it printed on 5 pages, page 1 the invitation
// links and QR code, page 2 only the radar, page 5 a quarter full. On paper it is the result
// only — no team link, no personal link — on at most 3 pages, none but the last under a
// third full. The round is Danish: whatever language the executive's pages speak, the
// team's result is the round's document and prints in Danish, while the page's frame keeps
// the reader's language.
func TestPrintTeamInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t)
	exec := e.browser()
	resultPath := e.submitForm(uniform(2, 4).with(5, 1, 5), url.Values{"company": {"Nordlys A/S"}, "role": {"CEO"}}, "Accept-Language", "da")
	opened := exec.post(resultPath+"/team", nil)
	if !strings.HasPrefix(opened.Redirect, "/t/") {
		t.Fatalf("opening the team round = %d %q", opened.StatusCode, opened.Redirect)
	}
	teamToken := strings.TrimPrefix(opened.Redirect, "/t/")
	joinTeam(t, e, teamToken, "Ida", uniform(3, 4).with(5, 4, 4).with(14, 1, 5))
	joinTeam(t, e, teamToken, "Ole", uniform(2, 5).with(5, 3, 5).with(9, 5, 5))
	joinTeam(t, e, teamToken, "Eva", uniform(3, 3).with(14, 5, 5).with(2, 1, 2))
	for _, lang := range []string{"en", "da", "sv", "nb"} {
		t.Run(lang, func(t *testing.T) {
			tb.Do(browsertest.Desktop, chromedp.Navigate(e.http.URL+opened.Redirect+"?lang="+lang))
			tb.WaitCharts("radar-live-data")
			if ui, doc := browsertest.Eval[string](tb, `document.documentElement.lang`), browsertest.Eval[string](tb, `document.getElementById('main').lang`); ui != lang || doc != "da" {
				t.Errorf("read in %s: frame lang = %q, document lang = %q, want %q and the round's \"da\"", lang, ui, doc, lang)
			}
			pdf, pages, text := printedPDF(t, tb, "print-team-"+lang)
			if pages > 3 {
				t.Errorf("the team's result prints on %d pages, want at most 3", pages)
			}
			if text != "" {
				for _, s := range []string{"/j/", "/t/", "/i/"} {
					if strings.Contains(text, s) {
						t.Errorf("the printed team result shows %q: how to join is not for paper", s)
					}
				}
				// The round's Danish, never the reader's language.
				if !strings.Contains(firstPage(text), "Tal om dette først") {
					t.Errorf("read in %s, page 1 lacks the round's Danish %q", lang, "Tal om dette først")
				}
				if other := map[string]string{"en": "Talk about this first", "sv": "Prata om detta först", "nb": "Snakk om dette først"}[lang]; other != "" && strings.Contains(text, other) {
					t.Errorf("read in %s, the print says %q: the reader's language, not the round's", lang, other)
				}
			}
			full := browsertest.PDFFullness(t, pdf)
			for i, f := range full {
				if i < len(full)-1 && f < 1.0/3 {
					t.Errorf("page %d of %d is %.0f %% full, want at least a third", i+1, len(full), f*100)
				}
			}
			t.Logf("%s: %d pages, fullness %s", lang, pages, fmtFull(full))
		})
	}
}

func fmtFull(f []float64) string {
	var s []string
	for _, x := range f {
		s = append(s, fmt.Sprintf("%.0f%%", x*100))
	}
	return strings.Join(s, " ")
}

// TestPrintRetakeInBrowser prints the result of a retake: "since your last test" — the two
// indexes then and now and every category's change — is on page 1 with the summary (it was on
// page 3 of 4), and no page but the last is under a third full.
func TestPrintRetakeInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t)
	first := e.submitForm(uniform(2, 4), url.Values{"company": {"Nordlys A/S"}})
	form := doc(t, retakeForm(t, e, first).Body)
	previous := form.Find(`form input[name="previous"]`).AttrOr("value", "")
	retake := e.submitForm(uniform(3, 4).with(1, 1, 5).with(13, 1, 4), url.Values{"previous": {previous}, "company": {"Nordlys A/S"}})
	for _, lang := range []string{"en", "da"} {
		t.Run(lang, func(t *testing.T) {
			tb.Do(browsertest.Desktop, chromedp.Navigate(e.http.URL+retake+"?lang="+lang))
			tb.WaitCharts("radar-categories-data", "radar-competencies-data")
			title := squash(browsertest.Eval[string](tb, `document.getElementById('retake-title').textContent`))
			pdf, pages, text := printedPDF(t, tb, "print-retake-"+lang)
			if pages > 4 {
				t.Errorf("the retake's result prints on %d pages, want at most 4", pages)
			}
			if text != "" && !strings.Contains(squash(firstPage(text)), title) {
				t.Errorf("page 1 lacks %q: the comparison with the last test belongs with the summary", title)
			}
			full := browsertest.PDFFullness(t, pdf)
			for i, f := range full {
				if i < len(full)-1 && f < 1.0/3 {
					t.Errorf("page %d of %d is %.0f %% full, want at least a third", i+1, len(full), f*100)
				}
			}
			t.Logf("%s: %d pages, fullness %s", lang, pages, fmtFull(full))
		})
	}
}
