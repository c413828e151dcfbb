package web

// Exactly once, as people click it (issue 16): the test form's button says it is sending and
// ignores further taps; Back after sending shows the page saying the test was sent, with the
// link to the result; one result is stored. With SHOTS_DIR set, it saves screenshots of both
// states, in English on a phone and in Danish on a desktop, to look at.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

func TestSendOnceInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t)
	e := newEnv(t)
	base := e.http.URL
	shots := os.Getenv("SHOTS_DIR")
	shoot := func(name string) {
		t.Helper()
		if shots == "" {
			return
		}
		png := browsertest.Run(tb, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	all := uniform(3, 4)
	for _, c := range []struct {
		lang, width, sending, sent string
		view                       chromedp.Action[chromedp.Void]
	}{
		// Each language once and each width once: the button and the notice are the same
		// page at both widths, their words the same at both.
		{"en", "390", "Sending…", "You have already sent this test.", browsertest.Phone},
		{"da", "1440", "Sender…", "Du har allerede sendt denne test.", browsertest.Desktop},
	} {
		before := e.countRows("SELECT count(*) FROM assessments")
		tb = tb.Reopen() // a browser of its own: no cookie of the last round
		tb.Do(c.view, chromedp.Navigate(base+"/test?lang="+c.lang))
		tb.WaitShown(`[data-testid="submit"]`)
		answerScores(tb, all.pairs())
		tb.Do(chromedp.SendKeys(chromedp.CSS(`#company`), "Nordlys A/S"))

		// The sending state, held on the page: a listener after app.js's stops the navigation.
		browsertest.Eval[bool](tb, `window.addEventListener('submit', function (ev) { if (window.holdSubmit) ev.preventDefault(); }), window.holdSubmit = true`)
		tb.Do(browsertest.ClickClear(`[data-testid="submit"]`))
		if got := browsertest.Eval[string](tb, `(function (b) { return b.disabled + ' ' + b.textContent.trim(); })(document.querySelector('[data-testid="submit"]'))`); got != "true "+c.sending {
			t.Errorf("%s %s: the button while sending = %q, want disabled and %q", c.lang, c.width, got, c.sending)
		}
		tb.Do(chromedp.ScrollIntoView(chromedp.CSS(`[data-testid="submit"]`)))
		shoot("sending-" + c.lang + "-" + c.width)

		// For real: the page again (the kept answers come back), and three taps at once.
		tb.Do(chromedp.Reload())
		tb.WaitShown(`[data-testid="keep-notice"]`)
		sentID := browsertest.Eval[string](tb, `document.querySelector('input[name="once"]').value`)
		browsertest.Eval[bool](tb, `(function (b) { b.click(); b.click(); b.click(); return true; })(document.querySelector('[data-testid="submit"]'))`)
		tb.WaitShown(`[data-testid="result-title"]`)
		result := browsertest.Eval[string](tb, `location.pathname`)
		if n := e.countRows("SELECT count(*) FROM assessments"); n != before+1 {
			t.Errorf("%s %s: three taps stored %d results, want 1", c.lang, c.width, n-before)
		}

		// Back: the form says the test was sent, with the link to the result.
		tb.Do(chromedp.NavigateBack())
		tb.WaitShown(`[data-testid="sent-notice"]`)
		if got := tb.Text(`[data-testid="sent-notice"]`); !strings.Contains(got, c.sent) {
			t.Errorf("%s %s: after Back the page says %q, want %q", c.lang, c.width, got, c.sent)
		}
		if got := browsertest.Eval[string](tb, `document.querySelector('[data-testid="sent-result"]').getAttribute('href')`); got != result {
			t.Errorf("%s %s: the notice links to %q, want %q", c.lang, c.width, got, result)
		}
		// The form below starts empty with a new id: sending it is a new test on purpose, and
		// the answers just sent cannot go a second time by accident.
		if n := chosenScores(tb); n != 0 {
			t.Errorf("%s %s: after Back the form shows %d chosen scores, want none", c.lang, c.width, n)
		}
		if id := browsertest.Eval[string](tb, `document.querySelector('input[name="once"]').value`); id == sentID || id == "" {
			t.Errorf("%s %s: after Back the form's id = %q, want a new one", c.lang, c.width, id)
		}
		if got := browsertest.Eval[string](tb, `document.activeElement ? document.activeElement.id : ''`); got != "sent" {
			t.Errorf("%s %s: focus after Back is on %q, want the notice", c.lang, c.width, got)
		}
		shoot("sent-" + c.lang + "-" + c.width)
		if c.lang == "en" && c.width == "390" {
			tb.Accessible("the test form after Back")
		}
	}
	tb.CheckClean("test form sent once", true)
}
