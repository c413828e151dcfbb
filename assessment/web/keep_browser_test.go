package web

// Never lose an answer: the five-minute test on a phone keeps what was given on the device
// through a reload, back and forward, a language switch and a closed tab, until it is sent;
// the result page then forgets it, and "Start over" clears it. Nothing is sent before the
// form is. The error summary takes the focus and says how many statements are missing.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// tapScores chooses AS-IS and TO-BE for the first len(scores) statements, as a phone user
// taps them.
func tapScores(tb *browsertest.Tab, scores ...[2]int) {
	tb.T.Helper()
	answerScores(tb, scores)
}

// chosenScores counts the chosen scores on the tab's page.
func chosenScores(tb *browsertest.Tab) int {
	return browsertest.Eval[int](tb, `document.querySelectorAll('form[data-keep] input[type=radio]:checked').length`)
}

func TestTestKeepsAnswersInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t)
	base := e.http.URL
	tb.Do(browsertest.Phone, chromedp.Navigate(base+"/test?lang=en"))
	tb.WaitShown(`[data-testid="submit"]`)
	// Five statements, both scores, and a company name.
	tapScores(tb, [2]int{1, 4}, [2]int{2, 4}, [2]int{3, 5}, [2]int{2, 3}, [2]int{4, 4})
	tb.Do(chromedp.SendKeys(chromedp.CSS(`#company`), "Nordlys A/S"))
	if n := e.countRows("SELECT count(*) FROM assessments"); n != 0 {
		t.Fatalf("%d assessments stored before the form was sent", n)
	}

	kept := func(where, lang, notice string) {
		t.Helper()
		tb.WaitShown(`[data-testid="keep-notice"]`)
		if n := chosenScores(tb); n != 10 {
			t.Errorf("after %s: %d scores chosen, want the 10 given", where, n)
		}
		if got := browsertest.Eval[string](tb, `document.getElementById('company').value`); got != "Nordlys A/S" {
			t.Errorf("after %s: company = %q", where, got)
		}
		if got := tb.Text(`[data-testid="keep-notice"]`); !strings.Contains(got, notice) {
			t.Errorf("after %s: notice %q lacks %q", where, got, notice)
		}
		if got := browsertest.Eval[string](tb, `document.documentElement.lang`); got != lang {
			t.Errorf("after %s: page language %q, want %q", where, got, lang)
		}
	}
	tb.Do(chromedp.Reload())
	kept("a reload", "en", "(5 of 21)")
	tb.Do(chromedp.Navigate(base+"/privacy"), chromedp.NavigateBack())
	kept("going to another page and back", "en", "(5 of 21)")
	tb.Do(chromedp.Navigate(base + "/test?lang=da"))
	kept("switching to Danish", "da", "(5 af 21)")
	tb = tb.Reopen()
	tb.Do(browsertest.Phone, chromedp.Navigate(base+"/test?lang=sv"))
	kept("closing the tab and coming back in Swedish", "sv", "(5 av 21)")

	// Sent with 16 statements missing: the summary takes the focus and says so; the answers
	// stay on the page.
	tb.Do(browsertest.ClickClear(`[data-testid="submit"]`))
	tb.WaitShown(`[data-testid="error-summary"]`)
	if got := browsertest.Eval[string](tb, `document.activeElement ? document.activeElement.id : ''`); got != "error-summary" {
		t.Errorf("focus after a refused form is on %q, want the error summary", got)
	}
	if got := tb.Text(`[data-testid="missing-count"]`); got != "16 av 21 påståenden saknar fortfarande svar." {
		t.Errorf("missing count = %q", got)
	}
	if n := chosenScores(tb); n != 10 {
		t.Errorf("after the refused form: %d scores chosen, want 10", n)
	}
	tb.Accessible("test form with errors")
	// The 422 is the refused form itself; anything else the browser logged is a problem.
	for _, p := range tb.Problems(true) {
		if !strings.Contains(p, "status of 422") {
			t.Errorf("test form with errors: %s", p)
		}
	}

	// Complete and send: the result page forgets the kept answers.
	all := uniform(3, 4)
	answerScores(tb, all.pairs())
	tb.Do(browsertest.ClickClear(`[data-testid="submit"]`))
	tb.WaitShown(`[data-testid="result-title"]`)
	if got := browsertest.Eval[int](tb, `localStorage.length`); got != 0 {
		t.Errorf("after the result: %d items kept in localStorage, want none", got)
	}
	tb.Do(chromedp.Navigate(base + "/test?lang=en"))
	tb.WaitShown(`[data-testid="submit"]`)
	if n := chosenScores(tb); n != 0 {
		t.Errorf("a new test after sending shows %d chosen scores, want none", n)
	}
	if shown := browsertest.Eval[bool](tb, `!document.querySelector('[data-testid="keep-notice"]').hidden`); shown {
		t.Error("a new test after sending says answers were kept")
	}

	// Continue where you left off jumps to the first statement without both answers: the
	// second, after one answered.
	tapScores(tb, [2]int{5, 5})
	tb.Do(chromedp.Reload())
	tb.WaitShown(`[data-testid="keep-notice"]`)
	tb.Do(browsertest.ClickClear(`[data-testid="keep-continue"]`))
	if got := browsertest.Eval[string](tb, `document.activeElement && document.activeElement.closest('[data-item]') ? document.activeElement.closest('[data-item]').dataset.item : ''`); got != "2" {
		t.Errorf("after Continue the focus is in item %q, want 2: the first unanswered", got)
	}

	// Start over asks first; "keep them" keeps them; only "yes" clears what was kept.
	tb.Do(browsertest.ClickClear(`[data-testid="keep-clear"]`))
	tb.WaitShown(`[data-testid="keep-confirm"]`)
	tb.Do(browsertest.ClickClear(`[data-testid="keep-clear-no"]`))
	if n := chosenScores(tb); n != 2 {
		t.Errorf("after Start over and Keep them: %d scores chosen, want 2", n)
	}
	tb.Do(browsertest.ClickClear(`[data-testid="keep-clear"]`))
	tb.WaitShown(`[data-testid="keep-confirm"]`)
	tb.Do(browsertest.ClickClear(`[data-testid="keep-clear-yes"]`))
	if n := chosenScores(tb); n != 0 {
		t.Errorf("after Start over: %d scores chosen, want none", n)
	}
	tb.Do(chromedp.Reload())
	tb.WaitShown(`[data-testid="submit"]`)
	if n := chosenScores(tb); n != 0 {
		t.Errorf("after Start over and a reload: %d scores chosen, want none", n)
	}
	tb.CheckClean("test form", true)
}
