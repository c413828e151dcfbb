package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/auth"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestTOTPInBrowser clicks through two-factor sign-in as a member does: the account page from
// the navigation, the set-up with its QR code, the first code, the recovery codes shown once,
// then signing out and in again with the password and the app's code.
func TestTOTPInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newWSEnv(t)
	base := e.http.URL
	signIn(tb, base)
	tb.Do(
		browsertest.Phone,
		chromedp.Click(chromedp.CSS(`[data-testid="nav-account"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="setup-totp"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="setup-totp"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="totp-qr"]`)),
	)
	// The QR code is drawn: an SVG image with a real size.
	if w := browsertest.Eval[int](tb, `document.querySelector('[data-testid="totp-qr"]').naturalWidth`); w == 0 {
		t.Error("QR code image has no width: not drawn")
	}
	secret := strings.ReplaceAll(tb.Text(`[data-testid="totp-secret"]`), " ", "")
	code, err := auth.TOTPCode(secret, e.clock())
	if err != nil {
		t.Fatal(err)
	}
	tb.Do(
		chromedp.SendKeys(chromedp.CSS(`#f-code`), code),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-totp"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="recovery-codes"]`)),
	)
	if n := browsertest.Eval[int](tb, `document.querySelectorAll('[data-testid="recovery-codes"] li').length`); n != 10 {
		t.Errorf("recovery codes shown = %d, want 10", n)
	}
	e.advance(30e9) // the next code, as a member signing in later has
	next, _ := auth.TOTPCode(secret, e.clock())
	tb.Do(
		chromedp.Click(chromedp.CSS(`[data-testid="logout"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login"]`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "ann@alpha.example"),
		chromedp.SendKeys(chromedp.CSS(`#password`), wsPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verify-totp"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-code`), "000000"),
		chromedp.Click(chromedp.CSS(`[data-testid="verify-totp"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="totp-prompt-error"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-code`), next),
		chromedp.Click(chromedp.CSS(`[data-testid="verify-totp"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-client"]`)),
	)
	// The wrong code's 401 is the one error the browser may log; anything else is a defect.
	for _, p := range tb.Problems(true) {
		if !strings.Contains(p, "401") || !strings.Contains(p, "/login/totp") {
			t.Errorf("two-factor sign-in: console error or CSP violation: %s", p)
		}
	}
}
