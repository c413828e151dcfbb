package web

// Deleting a result in a real browser, on a phone: the result page's link, the confirmation
// page, the box and the button, and the 404 the old link leads to afterwards. It skips when
// Chromium is missing, except under CI=true, where that is a failure. Set
// LOYALTY_SCREENSHOT_DIR to keep screenshots of the pages.

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

func TestResultDeleteInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t)
	path := e.submitForm(uniform(2, 4), url.Values{"company": {"Acme A/S"}, "benchmark_consent": {"yes"}})

	tb.Do(
		browsertest.Phone,
		chromedp.Navigate(e.http.URL+path+"?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="delete-result"]`)),
	)
	// The share link arrives relative (no base URL) and the page completes it.
	if got := browsertest.Eval[string](tb, `document.getElementById('share-link').value`); got != e.http.URL+path {
		t.Errorf("share link in the browser = %q, want %q", got, e.http.URL+path)
	}
	// "Email it to myself" carries the completed link too, and sits above the scores.
	mail := browsertest.Eval[string](tb, `document.querySelector('[data-testid="mail-link"]').getAttribute('href')`)
	if want := url.QueryEscape(e.http.URL + path); !strings.HasPrefix(mail, "mailto:?subject=") || !strings.Contains(mail, want) {
		t.Errorf("mail link in the browser = %q, want a mailto: with %q in it", mail, want)
	}
	if !browsertest.Eval[bool](tb, `!!(document.querySelector('[data-testid="private-link"]').compareDocumentPosition(document.querySelector('[data-testid="stage"]')) & Node.DOCUMENT_POSITION_FOLLOWING)`) {
		t.Error("the private link is not above the scores")
	}
	if over, culprits := tb.Overflow(390); over > 0 {
		t.Errorf("the result page is %d px too wide at 390 px: %v", over, culprits)
	}
	tb.CheckClean("result page", true)

	tb.Do(
		browsertest.ClickClear(`[data-testid="delete-result"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="delete-confirm"]`)),
	)
	tb.Shot("result-delete-confirm-390")
	if over, culprits := tb.Overflow(390); over > 0 {
		t.Errorf("the confirmation page is %d px too wide at 390 px: %v", over, culprits)
	}
	tb.Accessible("delete confirmation")
	tb.CheckClean("delete confirmation", true)
	// The box is required: the button alone deletes nothing, and the page says so in its own
	// language (the browser's own prompt would come in the browser's language), with 422.
	tb.Do(browsertest.ClickClear(`[data-testid="confirm-delete"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="delete-error"]`)))
	if loc := browsertest.Run(tb, chromedp.Location()); !strings.HasSuffix(loc, path+"/delete") {
		t.Fatalf("after clicking without the box the browser is at %s", loc)
	}
	if got := tb.Text(`[data-testid="delete-error"]`); got != "Tick the box to confirm." {
		t.Errorf("without the box the page says %q, want Tick the box to confirm.", got)
	}
	for _, p := range tb.Problems(true) {
		if !strings.Contains(p, "422") {
			t.Errorf("without the box: %s", p)
		}
	}
	e.assertStored(1)

	tb.Do(
		browsertest.ClickClear(`label[for="confirm"]`),
		browsertest.ClickClear(`[data-testid="confirm-delete"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="deleted"]`)),
	)
	tb.Shot("result-deleted-390")
	if got := tb.Text(`[data-testid="deleted"] h1`); got != "The result was deleted" {
		t.Errorf("heading after deleting = %q", got)
	}
	tb.Accessible("deleted")
	tb.CheckClean("deleted", true)
	e.assertStored(0)

	tb.Do(
		chromedp.Navigate(e.http.URL+path),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-page"]`)),
	)
	if got := tb.Text(`[data-testid="error-page"] h1`); got != "Page not found" {
		t.Errorf("the old link after deleting shows %q, want the 404 page", got)
	}
}
