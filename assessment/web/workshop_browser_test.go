package web

// The workshop in a real browser: a consultant opens a round, three participants answer in
// separate browser contexts (two of them 2 points apart on one competency), and the
// dashboard, never reloaded, shows three participants and that disagreement flag.
//
// It skips when Chromium is missing, except under CI=true, where that is a failure. Set
// LOYALTY_SCREENSHOT_DIR to keep screenshots of the workspace pages for a human to look at.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// answer clicks the label of each of a participant's scores. The labels are clicked from
// script: a phone user taps each one into view, which chromedp's click may find covered by
// the sticky submit bar.
func answerScores(tb *browsertest.Tab, s wsScores) {
	tb.T.Helper()
	var ids []string
	for i, x := range s {
		ids = append(ids, fmt.Sprintf(`"c%d_as_is_%d"`, i+1, x[0]), fmt.Sprintf(`"c%d_to_be_%d"`, i+1, x[1]))
	}
	n := browsertest.Run(tb, chromedp.Evaluate[int](`(function (ids) {
		ids.forEach(function (id) { document.querySelector('label[for="' + id + '"]').click(); });
		return document.querySelectorAll('input[type=radio]:checked').length;
	})([`+strings.Join(ids, ",")+`])`))
	if n != 2*len(s) {
		tb.T.Fatalf("%d radios checked, want %d", n, 2*len(s))
	}
}

func TestWSWorkshopInBrowser(t *testing.T) {
	t.Parallel()                  // mostly waiting (on Chromium or password hashing): let other tests run meanwhile
	cons := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newWSEnv(t, livePoll(100*time.Millisecond))
	url := e.http.URL

	// The consultant signs in, creates a client and opens a round.
	cons.Do(
		browsertest.Desktop,
		chromedp.Navigate(url+"/w/clients"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login"]`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "ann@alpha.example"),
		chromedp.SendKeys(chromedp.CSS(`#password`), wsPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-client"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="new-client"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Nordlys A/S"),
		chromedp.SetValue(chromedp.CSS(`#f-industry`), "retail"),
		chromedp.SendKeys(chromedp.CSS(`#f-country`), "DK"),
		chromedp.Click(chromedp.CSS(`[data-testid="save-client"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="client-name"]`)),
	)
	cons.Shot("ws-client")
	cons.Do(
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Leadership workshop"),
		chromedp.SetValue(chromedp.CSS(`#f-lang`), "en"),
		chromedp.Click(chromedp.CSS(`[data-testid="open-round"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="join-url"]`)),
	)
	if got := cons.Text(`[data-testid="participants"]`); got != "0" {
		t.Fatalf("participants before anyone answered = %q", got)
	}
	dashURL := browsertest.Run(cons, chromedp.Location())
	joinURL := cons.Text(`[data-testid="join-url"]`)
	short := cons.Text(`[data-testid="short-code"]`)
	if !strings.HasPrefix(joinURL, url+"/j/") || len(short) != 8 {
		t.Fatalf("join URL %q, short code %q", joinURL, short)
	}
	// A marker that a reload would wipe out.
	browsertest.Run(cons, chromedp.Evaluate[int](`window.__noReload = 42`))

	// Three participants, each in a browser context of their own. P1 and P2 are 2 points
	// apart on competency 5 (AS-IS); P2 joins by typing the short code.
	parts := []wsScores{wsUniform(3, 4).with(5, 2, 4), wsUniform(3, 4).with(5, 4, 4), wsUniform(3, 4)}
	var first *browsertest.Tab
	for i, s := range parts {
		p := browsertest.NewTab(t)
		p.Do(browsertest.Phone)
		if i == 0 {
			first = p
		}
		if i == 1 {
			p.Do(
				chromedp.Navigate(url+"/j"),
				chromedp.WaitVisible(chromedp.CSS(`#code`)),
				chromedp.SendKeys(chromedp.CSS(`#code`), strings.ToLower(short)),
				chromedp.Click(chromedp.CSS(`[data-testid="join"]`)),
			)
		} else {
			p.Do(chromedp.Navigate(joinURL))
		}
		p.Do(chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)))
		if i == 0 {
			p.Shot("ws-participant-mobile")
			p.Accessible("participant page")
		}
		p.Do(chromedp.SendKeys(chromedp.CSS(`#name`), fmt.Sprintf("Person %d", i+1)))
		answerScores(p, s)
		p.Do(
			chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="saved"]`)),
		)
		if strings.Contains(browsertest.Run(p, chromedp.Evaluate[string](`document.body.innerText`)), "Person 1") && i > 0 {
			t.Errorf("participant %d sees another participant's name", i+1)
		}
		p.CheckClean(fmt.Sprintf("participant %d", i+1), true)
	}

	// The dashboard updates by itself within a few polls.
	cons.Do(chromedp.Poll[chromedp.Void](`document.querySelector('[data-testid="participants"]').textContent.trim() === "3" &&
		document.querySelector('[data-testid="flag-asis-5"]') !== null &&
		document.querySelector('[data-testid="radar-live"][data-rendered="true"]') !== null`,
		chromedp.WithPollingInterval(50*time.Millisecond)))
	if v := browsertest.Run(cons, chromedp.Evaluate[int](`window.__noReload || 0`)); v != 42 {
		t.Error("the dashboard reloaded instead of updating in place")
	}
	if got := cons.Text(`[data-testid="disagree-asis"]`); !strings.Contains(got, "5 Commitment") {
		t.Errorf("disagreement list = %q, want competency 5", got)
	}
	if n := browsertest.Run(cons, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="heat-asis"] tbody tr').length`)); n != 3 {
		t.Errorf("heatmap rows = %d, want P1-P3", n)
	}
	cons.CheckClean("dashboard", true)
	cons.Shot("ws-dashboard")
	cons.Accessible("dashboard")

	for _, pg := range []struct{ path, ready, name string }{
		{"/w/portfolio", `[data-testid="portfolio"]`, "ws-portfolio"},
		{"/w/clients", `[data-testid="clients"]`, "ws-clients"},
	} {
		cons.Do(chromedp.Navigate(url+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
		cons.CheckClean(pg.path, true)
		cons.Shot(pg.name)
		cons.Accessible(pg.path)
	}

	// The consultant closes the round; the first participant, reloading, sees their own
	// answers read-only.
	cons.Do(
		chromedp.Navigate(dashURL),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="close-round"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="close-round"]`)),
		// Only the closed round's badge lacks badge--open: this waits for the new page.
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="round-status"]:not(.badge--open)`)),
	)
	if got := cons.Text(`[data-testid="round-status"]`); !strings.EqualFold(got, "Closed") {
		t.Fatalf("round status after close = %q", got)
	}
	first.Do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-testid="own-answers"]`)))
	if got := first.Text(`[data-testid="own-asis-5"]`) + "→" + first.Text(`[data-testid="own-tobe-5"]`); got != "2→4" {
		t.Errorf("closed round, own answer on competency 5 = %q, want 2→4", got)
	}
	first.CheckClean("closed round", true)
	first.Shot("ws-participant-closed")
	first.Accessible("closed round")

	// Members: Ann, the admin, removes Carl after the confirmation page.
	carl := fmt.Sprint(e.memberID("carl@alpha.example"))
	cons.Do(
		chromedp.Navigate(url+"/w/members"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="members"]`)),
	)
	cons.CheckClean("/w/members", true)
	cons.Shot("ws-members")
	cons.Accessible("/w/members")
	cons.Do(
		chromedp.Click(chromedp.CSS(`[data-testid="remove-`+carl+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-remove"]`)),
	)
	cons.CheckClean("remove member", true)
	cons.Shot("ws-member-remove")
	cons.Do(
		chromedp.Click(chromedp.CSS(`#confirm`)),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-remove"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="members-notice"]`)),
	)
	if got := cons.Text(`[data-testid="members"]`); strings.Contains(got, "carl@alpha.example") || !strings.Contains(got, "ann@alpha.example") {
		t.Errorf("members after removing Carl = %q", got)
	}
	cons.CheckClean("members after removal", true)
}
