package web

// The executive's journey after a first result (issue 10 §3 and §4), in a real browser on a
// phone, in Danish: "retake and compare" from the result page, the retake form, the new
// result with the earlier one on its radars and the deltas; then "invite your leadership
// team", the team page, two colleagues finishing on their phones, and the team's result
// appearing on the team page by itself. It skips when Chromium is missing, except under
// CI=true, where that is a failure. Set LOYALTY_SCREENSHOT_DIR to keep screenshots.

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

func TestJourneyInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t, livePoll(300*time.Millisecond))
	first := e.submitForm(uniform(2, 4), url.Values{"company": {"Nordlys A/S"}, "role": {"CEO"}})
	firstToken := strings.TrimPrefix(first, "/r/")

	tb.Do(
		browsertest.Phone,
		chromedp.Navigate(e.http.URL+first+"?lang=da"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="retake-link"]`)),
		browsertest.ClickClear(`[data-testid="retake-link"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)),
	)
	if got := browsertest.Eval[string](tb, `document.getElementById('company').value`); got != "Nordlys A/S" {
		t.Errorf("the retake form's company = %q, want the earlier result's", got)
	}
	// Every AS-IS one point higher than the first test's 2, but competency 7 one lower.
	s := make([][2]int, 21)
	for i := range s {
		s[i] = [2]int{3, 4}
	}
	s[6] = [2]int{1, 4}
	answerScores(tb, s)
	tb.Do(
		browsertest.ClickClear(`[data-testid="submit"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="retake"]`)),
	)
	tb.WaitCharts("radar-categories-data", "radar-competencies-data")
	second := browsertest.Run(tb, chromedp.Location())
	if !strings.Contains(second, "/r/") || strings.Contains(second, firstToken) {
		t.Fatalf("after the retake the browser is at %s", second)
	}
	// AS-IS index (2−1)/4·100 = 25 before; after (20·3 + 1)/21 = 61/21, index (61/21−1)/4·100
	// = 47.6, shown 48: +23.
	if got := tb.Text(`[data-testid="retake-asis"] .stat__value`); got != "25 → 48" {
		t.Errorf("AS-IS index before and after = %q, want 25 → 48", got)
	}
	if got := tb.Text(`[data-testid="retake-asis-delta"]`); got != "+23" {
		t.Errorf("AS-IS index change = %q, want +23", got)
	}
	if got := tb.Text(`[data-testid="slipped"]`); !strings.HasPrefix(got, "7 ") || !strings.Contains(got, "2 → 1 (") {
		t.Errorf("what slipped = %q, want competency 7 from 2 to 1", got)
	}
	// The earlier AS-IS is a series of its own on both radars, named in the legend.
	if n := browsertest.Eval[int](tb, `Array.from(document.querySelectorAll('[data-chart][data-rendered="true"] svg text')).filter(t => t.textContent === 'Tidligere AS-IS').length`); n != 2 {
		t.Errorf("%d legends name the earlier AS-IS, want 2 (one per radar)", n)
	}
	if html := browsertest.Eval[string](tb, `document.documentElement.outerHTML`); strings.Contains(html, firstToken) {
		t.Error("the new result's page holds the earlier result's token")
	}
	if over, culprits := tb.Overflow(390); over > 0 {
		t.Errorf("the retake's result page is %d px too wide at 390 px: %v", over, culprits)
	}
	tb.Shot("journey-retake-390-da")
	tb.Accessible("retake result")
	tb.CheckClean("retake result", true)

	// The leadership team.
	tb.Do(
		browsertest.ClickClear(`[data-testid="invite-team"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="open-team"]`)),
	)
	tb.Accessible("team invitation")
	tb.Do(
		browsertest.ClickClear(`[data-testid="open-team"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="team-waiting"]`)),
	)
	teamURL := browsertest.Run(tb, chromedp.Location())
	if !strings.Contains(teamURL, "/t/") {
		t.Fatalf("after opening the team round the browser is at %s", teamURL)
	}
	// The team link is completed to an absolute address by the page, for copying.
	if got := browsertest.Eval[string](tb, `document.getElementById('team-link').value`); got != strings.Split(teamURL, "?")[0] {
		t.Errorf("team link = %q, want %q", got, teamURL)
	}
	// "Email it to myself" carries the same completed link.
	if mail := browsertest.Eval[string](tb, `document.querySelector('[data-testid="team-mail-link"]').getAttribute('href')`); !strings.Contains(mail, url.QueryEscape(strings.Split(teamURL, "?")[0])) {
		t.Errorf("team mail link = %q, want the team link in it", mail)
	}
	// The executive lists two colleagues and gets a personal link for each.
	tb.Do(
		chromedp.SendKeys(chromedp.CSS(`#colleague-names`), "Ida\nOle"),
		browsertest.ClickClear(`[data-testid="colleagues-submit"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="colleagues-notice"]`)),
	)
	if got := tb.Text(`[data-testid="colleague-list"]`); !strings.Contains(got, "Ida") || !strings.Contains(got, "Ole") || !strings.Contains(strings.ToLower(got), "ikke startet") {
		t.Errorf("colleagues = %q, want Ida and Ole, not started", got)
	}
	tokens := browsertest.Eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid="colleague-link"]')).map(i => i.value.split('/i/')[1])`)
	if len(tokens) != 2 {
		t.Fatalf("personal links on the page: %v", tokens)
	}
	if over, culprits := tb.Overflow(390); over > 0 {
		t.Errorf("the team page is %d px too wide at 390 px: %v", over, culprits)
	}
	tb.Shot("journey-team-waiting-390-da")
	tb.Accessible("team page, waiting")

	// Two colleagues finish on their phones; the team page shows the result without a reload.
	finishInvitation(t, e, tokens[0], "Ida", uniform(3, 4))
	finishInvitation(t, e, tokens[1], "Ole", uniform(4, 5))
	tb.WaitShown(`[data-testid="radar-live"]`)
	tb.WaitCharts("radar-live-data")
	if got := tb.Text(`[data-testid="progress"]`); !strings.Contains(got, "3") {
		t.Errorf("progress = %q, want 3 finished", got)
	}
	if html := browsertest.Eval[string](tb, `document.documentElement.outerHTML`); strings.Contains(html, "Typed ") {
		t.Error("the team page shows a name a colleague typed")
	}
	if over, culprits := tb.Overflow(390); over > 0 {
		t.Errorf("the team page with a result is %d px too wide at 390 px: %v", over, culprits)
	}
	tb.Shot("journey-team-result-390-da")
	tb.Accessible("team page, result")
	tb.CheckClean("team page", true)
}
