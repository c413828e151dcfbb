package web

// The documents people print and hand over, printed to PDF by a real Chromium on A4, as
// "Save as PDF" does: the five-minute test's result in all four languages, a workshop
// round's report with and without every answer, the comparison of two rounds and the
// benchmark. Each is checked as a reader would: how many pages, what page 1 says, that the
// battles' owners and due dates are there, that nothing to click shows and nothing sticks
// out of the page. Set LOYALTY_SCREENSHOT_DIR to keep the PDFs.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// printed prints the tab's page, keeps the PDF when screenshots are kept, checks the page in
// print media, and returns the PDF's page count and text (text is "" without pdftotext).
func printed(t *testing.T, tb *browsertest.Tab, name string) (pages int, text string) {
	t.Helper()
	_, pages, text = printedPDF(t, tb, name)
	return pages, text
}

// printedPDF is printed that also returns the PDF, for a test that reads more from it (how
// full its pages are): printing is the dearest step of a print test, so a page is printed once.
func printedPDF(t *testing.T, tb *browsertest.Tab, name string) (pdf []byte, pages int, text string) {
	t.Helper()
	pdf = tb.PrintPDF()
	if dir, keep := browsertest.ShotDir(t); keep {
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tb.Do(browsertest.PrintMedia)
	if problems := browsertest.Eval[[]string](tb, browsertest.PrintProblems); len(problems) > 0 {
		t.Errorf("%s printed: %v", name, problems)
	}
	tb.Do(browsertest.ScreenMedia)
	text, _ = browsertest.PDFText(t, pdf)
	// The PDF's text keeps the soft hyphens of long words (they show only where a line
	// breaks); compare the words as they read.
	return pdf, browsertest.PDFPages(pdf), stripSoft(text)
}

// firstPage is the text of a PDF's page 1 (pdftotext ends each page with a form feed).
func firstPage(text string) string {
	first, _, _ := strings.Cut(text, "\f")
	return first
}

// TestPrintResultInBrowser prints a result with a benchmark in every language. Three pages
// hold it (the summary; the gap table and the strengths; the competency radar and the
// benchmark); the bound is 4 so that a language with longer sentences may push the last
// lines over, and no more.
func TestPrintResultInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t, demoMode)
	if err := e.db.AddSynthetic(context.Background(), e.q.SyntheticCompanies(40, 3, e.clock())); err != nil {
		t.Fatal(err)
	}
	// Competency 1 has the largest gap (1 → 5): it heads the priorities.
	path := e.submitForm(uniform(3, 4).with(1, 1, 5), url.Values{"company": {"Nordlys Retail A/S"}, "industry": {"retail"},
		"size": {"250-999"}, "nps_years": {"1-5"}, "benchmark_consent": {"yes"}})
	pageWord := map[string]string{"da": "Side", "en": "Page", "sv": "Sida", "nb": "Side"}
	for _, lang := range []string{"da", "en", "sv", "nb"} {
		t.Run(lang, func(t *testing.T) {
			tb.Do(browsertest.Desktop, chromedp.Navigate(e.http.URL+path+"?lang="+lang))
			tb.WaitCharts("radar-categories-data", "radar-competencies-data")
			if n := count(tb, `[data-testid="save-pdf"]`); n != 1 {
				t.Errorf("%d Save-as-PDF buttons, want 1", n)
			}
			// The script draws the charts again at the print stylesheet's size, and back.
			browsertest.Run(tb, chromedp.Evaluate[bool](`window.dispatchEvent(new Event('beforeprint')), true`))
			if got := browsertest.Eval[[]string](tb, `['radar-categories', 'radar-competencies'].map(id => document.querySelector('#' + id + ' svg').getAttribute('width'))`); strings.Join(got, " ") != "340 635" {
				t.Errorf("charts drawn for print at %v px wide, want 340 (90 mm) and 635 (168 mm)", got)
			}
			browsertest.Run(tb, chromedp.Evaluate[bool](`window.dispatchEvent(new Event('afterprint')), true`))
			if got := browsertest.Eval[[]float64](tb, `[+document.querySelector('#radar-categories svg').getAttribute('width'), document.getElementById('radar-categories').getBoundingClientRect().width]`); got[0] < got[1]-1 || got[0] > got[1]+1 {
				t.Errorf("after printing, the category radar is %g px wide in a box of %g px", got[0], got[1])
			}

			pages, text := printed(t, tb, "print-result-"+lang)
			if pages < 2 || pages > 4 {
				t.Errorf("the result prints on %d pages, want 2 to 4", pages)
			}
			if text == "" {
				return
			}
			// Page 1 stands alone: who, the first priority, the stage's advice, and its footer.
			page1 := firstPage(text)
			stage := e.q.Score(uniform(3, 4).with(1, 1, 5).ratings()).Stage
			seg, _ := e.q.AdviceFor(stage, assessment.Company{NPSYears: "1-5"})
			for _, s := range []string{"Nordlys Retail A/S", e.q.Competencies[0].Name[lang], stage.Name[lang], seg.Advice[0].Title[lang],
				fmt.Sprintf("%s 1 / %d", pageWord[lang], pages)} {
				if !strings.Contains(page1, s) {
					t.Errorf("page 1 lacks %q", s)
				}
			}
			for _, s := range []string{e.q.Competencies[0].Key, "Save as PDF", "Gem som PDF"} {
				if strings.Contains(text, s) {
					t.Errorf("the printed result contains %q", s)
				}
			}
		})
	}
}

// TestPrintReportInBrowser prints a workshop round's report: the battles with owner, due
// date and status and the note are in the text, the heatmaps of every answer only when the
// consultant includes them, never a participant's name. Five pages hold it with the
// disagreement of a small room; the bound is 6, and 8 with both heatmaps.
func TestPrintReportInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t)
	e := newWSEnv(t)
	ctx := context.Background()
	w := e.world("Fjord Logistik A/S") // Secret Sam, and "Battle of Fjord Logistik A/S" owned by "Owner"
	for i, s := range []scores{uniform(3, 4), uniform(2, 5).with(7, 1, 5), uniform(4, 5)} {
		p, _ := e.q.NewParticipant(fmt.Sprintf("Named Person %d", i), "", s.domain())
		if err := e.db.SaveParticipant(ctx, w.round.Code, fmt.Sprint("print-", i), false, &p); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range []struct {
		n                         int
		title, owner, due, status string
	}{
		{7, "Close the loop within 24 hours", "Service director", "2027-01-31", assessment.BattleInProgress},
		{14, "One strategy page for all", "Anna (CFO)", "2027-03-31", assessment.BattleDone},
	} {
		battle, err := e.q.NewBattle(b.n, b.title, b.owner, b.due, b.status)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.AddBattle(ctx, e.a.ID, w.round.ID, &battle); err != nil {
			t.Fatal(err)
		}
	}
	note, _ := e.q.NewNote(7, "The room split on the loop: service says yes, sales says no.")
	if err := e.db.SaveNote(ctx, e.a.ID, w.round.ID, &note); err != nil {
		t.Fatal(err)
	}
	signIn(tb, e.http.URL)
	report := fmt.Sprintf("%s/w/rounds/%d/report?lang=en", e.http.URL, w.round.ID)
	tb.Do(browsertest.Desktop, chromedp.Navigate(report))
	tb.WaitCharts("radar-categories-data", "radar-competencies-data")
	pages, text := printed(t, tb, "print-report")
	if pages < 2 || pages > 6 {
		t.Errorf("the report prints on %d pages, want 2 to 6", pages)
	}
	if text != "" {
		page1 := strings.ToUpper(firstPage(text))
		for _, s := range []string{"Fjord Logistik A/S", "Kick-off Fjord Logistik A/S", "Prepared by Ann, Alpha Consulting", "4 participants",
			"Close the loop within 24 hours", "Service director", "31 January 2027", "IN PROGRESS",
			"One strategy page for all", "Anna (CFO)", "31 March 2027", "DONE", "Owner", "Page 1 / "} {
			if !strings.Contains(page1, strings.ToUpper(s)) {
				t.Errorf("page 1 of the report lacks %q", s)
			}
		}
		if !strings.Contains(text, "service says yes, sales says no") {
			t.Error("the printed report lacks the note")
		}
		for _, s := range []string{"Every answer", "Secret Sam", "Named Person", "Add Must Win Battle", "Write a note"} {
			if strings.Contains(text, s) {
				t.Errorf("the printed report contains %q", s)
			}
		}
	}

	// With every answer included: both heatmaps, each whole on the page's width.
	tb.Do(chromedp.Click(chromedp.CSS(`[data-testid="detail-on"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="heat-tobe"]`)))
	tb.WaitCharts("radar-categories-data", "radar-competencies-data")
	pages, text = printed(t, tb, "print-report-detail")
	if pages < 3 || pages > 8 {
		t.Errorf("the report with every answer prints on %d pages, want 3 to 8", pages)
	}
	if text != "" {
		for _, s := range []string{"Every answer: today (AS-IS)", "Every answer: ambition (TO-BE)"} {
			if !strings.Contains(text, s) {
				t.Errorf("the printed report with every answer lacks %q", s)
			}
		}
		if strings.Contains(text, "Named Person") || strings.Contains(text, "Secret Sam") {
			t.Error("the heatmaps print a participant's name")
		}
	}
}

// TestPrintCompareAndBenchmarkInBrowser prints the comparison of two rounds and the
// benchmark: each fits 1 to 3 pages with nothing to click and nothing too wide.
func TestPrintCompareAndBenchmarkInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t)
	e := newWSEnv(t, demoMode)
	ctx := context.Background()
	if err := e.db.AddSynthetic(ctx, e.q.SyntheticCompanies(60, 5, e.clock())); err != nil {
		t.Fatal(err)
	}
	w := e.world("Fjord Logistik A/S")
	e.twins(w) // three: a round of fewer has no result to compare
	if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, w.round.ID); err != nil {
		t.Fatal(err)
	}
	later, _ := e.q.NewRound("Six months on", "en")
	if err := e.db.CreateRound(ctx, e.a.ID, w.client.ID, &later); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"later-1", "later-2", "later-3"} {
		p, _ := e.q.NewParticipant("", "", uniform(3, 4).domain())
		if err := e.db.SaveParticipant(ctx, later.Code, tok, false, &p); err != nil {
			t.Fatal(err)
		}
	}
	signIn(tb, e.http.URL)
	for _, doc := range []struct {
		name, url, chart, title string
	}{
		{"print-compare", fmt.Sprintf("%s/w/clients/%d/compare?a=%d&b=%d&lang=en", e.http.URL, w.client.ID, w.round.ID, later.ID), "radar-compare-data", "Fjord Logistik A/S"},
		{"print-benchmark", e.http.URL + "/benchmark?lang=en", "radar-pool-data", "Page 1 / "},
	} {
		t.Run(doc.name, func(t *testing.T) {
			tb.Do(browsertest.Desktop, chromedp.Navigate(doc.url))
			tb.WaitCharts(doc.chart)
			if n := count(tb, `[data-testid="save-pdf"]`); n != 1 {
				t.Errorf("%d Save-as-PDF buttons, want 1", n)
			}
			pages, text := printed(t, tb, doc.name)
			if pages < 1 || pages > 3 {
				t.Errorf("%s prints on %d pages, want 1 to 3", doc.name, pages)
			}
			if text != "" && !strings.Contains(text, doc.title) {
				t.Errorf("%s printed lacks %q", doc.name, doc.title)
			}
		})
	}
}
