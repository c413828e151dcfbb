package web

// Verification by work email in a real browser, on a phone: the result page's card, the
// address typed and sent, the link's page and its button, and the result page afterwards. It
// skips when Chromium is missing, except under CI=true, where that is a failure.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

func TestVerificationInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t)
	e := newEnv(t, withBaseURL("https://loyalty.example"), sendsMail)
	box := e.mailbox()
	token := e.submitAPI(company("Acme Bank", "finance", uniform(2, 4), true))

	tb.Do(
		browsertest.Phone,
		chromedp.Navigate(e.http.URL+"/r/"+token+"?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verify-card"]`)),
		chromedp.SendKeys(chromedp.CSS(`#verify-email`), "anna@acme-bank.dk"),
		browsertest.ClickClear(`[data-testid="verify-submit"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verify-sent"]`)),
	)
	if got := tb.Text(`[data-testid="verify-sent"]`); !strings.Contains(got, "anna@acme-bank.dk") {
		t.Errorf("after sending: %q, want it to name the address", got)
	}
	if over, culprits := tb.Overflow(390); over > 0 {
		t.Errorf("the sent page is %d px too wide at 390 px: %v", over, culprits)
	}
	tb.CheckClean("verification sent", true)
	msgs := box.deliver()
	if len(msgs) != 1 {
		t.Fatalf("%d messages delivered, want 1", len(msgs))
	}
	link := linkIn(t, msgs[0], verifyLinkRe)

	tb.Do(
		chromedp.Navigate(e.http.URL+"/verify/"+link+"?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verify-confirm"]`)),
	)
	tb.Shot("verify-page-390")
	tb.Accessible("verification page")
	tb.CheckClean("verification page", true)
	tb.Do(
		browsertest.ClickClear(`[data-testid="verify-confirm"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verify-done"]`)),
	)
	if got := tb.Text(`[data-testid="verify-done"]`); !strings.Contains(got, "acme-bank.dk") {
		t.Errorf("after confirming: %q, want the domain", got)
	}
	tb.Do(
		chromedp.Navigate(e.http.URL+"/r/"+token+"?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verify-status"]`)),
	)
	if got := tb.Text(`[data-testid="verify-status"]`); !strings.Contains(got, "Counted for acme-bank.dk") {
		t.Errorf("the result page after confirming: %q, want the domain it counts for", got)
	}
	if over, culprits := tb.Overflow(390); over > 0 {
		t.Errorf("the result page is %d px too wide at 390 px: %v", over, culprits)
	}
}
