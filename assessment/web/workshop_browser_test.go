package web

// The workshop in a real browser: a consultant opens a round, three participants answer in
// separate browser contexts (two of them 2 points apart on one competency), and the
// dashboard, never reloaded, shows three participants and that disagreement flag.
//
// It skips when Chromium is missing, except under CI=true, where that is a failure. Set
// LOYALTY_SCREENSHOT_DIR to keep screenshots of the workspace pages for a human to look at.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

func wsChromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but Chromium is not installed: the workshop browser test must run in CI")
	}
	t.Skip("Chromium not found; install the Debian package chromium to run the browser test")
	return ""
}

// wsCSPHook records CSP violations and uncaught errors before any script of the page runs.
const wsCSPHook = `(function () {
  var v = [];
  Object.defineProperty(window, '__problems', { value: v });
  document.addEventListener('securitypolicyviolation', function (e) { v.push('CSP ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')); });
  window.addEventListener('error', function (e) { v.push('error ' + e.message); });
})();`

type wsTab struct {
	t   *testing.T
	ctx context.Context
}

func wsNewTab(t *testing.T, browser context.Context, width, height int64) *wsTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &wsTab{t: t, ctx: ctx}
	tb.do(
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: wsCSPHook})
			return err
		}),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: width, Height: height, DeviceScaleFactor: 1, Mobile: width < 600})
			return err
		}),
	)
	return tb
}

func (tb *wsTab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

func wsRun[T any](tb *wsTab, a chromedp.Action[T]) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, a)
	if err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
	return v
}

func (tb *wsTab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(wsRun(tb, chromedp.Text(chromedp.CSS(sel))))
}

// clean fails the test if the page violated the CSP or threw.
func (tb *wsTab) clean(where string) {
	tb.t.Helper()
	if p := wsRun(tb, chromedp.Evaluate[[]string](`window.__problems ? window.__problems.splice(0) : []`)); len(p) > 0 {
		tb.t.Errorf("%s: %s", where, strings.Join(p, "; "))
	}
}

// axeSource is axe-core, vendored as test data beside the other browser tests.
const axeSource = "../../cmd/loyalty/testdata/axe/axe.min.js"

// accessible fails the test on any serious or critical WCAG 2.1 A/AA violation that
// axe-core finds on the current page.
func (tb *wsTab) accessible(where string) {
	tb.t.Helper()
	src, err := os.ReadFile(axeSource)
	if err != nil {
		tb.t.Fatal(err)
	}
	type violation struct {
		ID, Impact, Help, Target string
	}
	tb.do(chromedp.Evaluate[chromedp.Void](string(src)))
	vs := wsRun(tb, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
	  .then(r => r.violations.map(v => ({ID: v.id, Impact: v.impact || '', Help: v.help, Target: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')})))`, chromedp.EvalAwaitPromise))
	for _, v := range vs {
		msg := where + ": " + v.ID + " (" + v.Impact + "): " + v.Help + " — " + v.Target
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.t.Error(msg)
		} else {
			tb.t.Log(msg)
		}
	}
}

func (tb *wsTab) screenshot(name string) {
	dir := os.Getenv("LOYALTY_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	png := wsRun(tb, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Error(err)
	}
}

// answer clicks the label of each of a participant's scores. The labels are clicked from
// script: a phone user taps each one into view, which chromedp's click may find covered by
// the sticky submit bar.
func (tb *wsTab) answer(s wsScores) {
	tb.t.Helper()
	var ids []string
	for i, x := range s {
		ids = append(ids, fmt.Sprintf(`"c%d_as_is_%d"`, i+1, x[0]), fmt.Sprintf(`"c%d_to_be_%d"`, i+1, x[1]))
	}
	n := wsRun(tb, chromedp.Evaluate[int](`(function (ids) {
		ids.forEach(function (id) { document.querySelector('label[for="' + id + '"]').click(); });
		return document.querySelectorAll('input[type=radio]:checked').length;
	})([`+strings.Join(ids, ",")+`])`))
	if n != 2*len(s) {
		tb.t.Fatalf("%d radios checked, want %d", n, 2*len(s))
	}
}

func TestWSWorkshopInBrowser(t *testing.T) {
	path := wsChromium(t)
	e := newWSEnv(t)
	// The test server listens on loopback only.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "en-US"))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	browser, cancelTimeout := context.WithTimeout(browser, 90*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	url := e.srv.URL

	// The consultant signs in, creates a client and opens a round.
	cons := wsNewTab(t, browser, 1280, 900)
	cons.do(
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
	cons.screenshot("ws-client")
	cons.do(
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Leadership workshop"),
		chromedp.SetValue(chromedp.CSS(`#f-lang`), "en"),
		chromedp.Click(chromedp.CSS(`[data-testid="open-round"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="join-url"]`)),
	)
	if got := cons.text(`[data-testid="participants"]`); got != "0" {
		t.Fatalf("participants before anyone answered = %q", got)
	}
	dashURL := wsRun(cons, chromedp.Location())
	joinURL := cons.text(`[data-testid="join-url"]`)
	short := cons.text(`[data-testid="short-code"]`)
	if !strings.HasPrefix(joinURL, url+"/j/") || len(short) != 8 {
		t.Fatalf("join URL %q, short code %q", joinURL, short)
	}
	// A marker that a reload would wipe out.
	wsRun(cons, chromedp.Evaluate[int](`window.__noReload = 42`))

	// Three participants, each in a browser context of their own. P1 and P2 are 2 points
	// apart on competency 5 (AS-IS); P2 joins by typing the short code.
	parts := []wsScores{wsUniform(3, 4).with(5, 2, 4), wsUniform(3, 4).with(5, 4, 4), wsUniform(3, 4)}
	var first *wsTab
	for i, s := range parts {
		p := wsNewTab(t, browser, 390, 844)
		if i == 0 {
			first = p
		}
		if i == 1 {
			p.do(
				chromedp.Navigate(url+"/j"),
				chromedp.WaitVisible(chromedp.CSS(`#code`)),
				chromedp.SendKeys(chromedp.CSS(`#code`), strings.ToLower(short)),
				chromedp.Click(chromedp.CSS(`[data-testid="join"]`)),
			)
		} else {
			p.do(chromedp.Navigate(joinURL))
		}
		p.do(chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)))
		if i == 0 {
			p.screenshot("ws-participant-mobile")
			p.accessible("participant page")
		}
		p.do(chromedp.SendKeys(chromedp.CSS(`#name`), fmt.Sprintf("Person %d", i+1)))
		p.answer(s)
		p.do(
			chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="saved"]`)),
		)
		if strings.Contains(wsRun(p, chromedp.Evaluate[string](`document.body.innerText`)), "Person 1") && i > 0 {
			t.Errorf("participant %d sees another participant's name", i+1)
		}
		p.clean(fmt.Sprintf("participant %d", i+1))
	}

	// The dashboard updates by itself within a few polls.
	cons.do(chromedp.Poll[chromedp.Void](`document.querySelector('[data-testid="participants"]').textContent.trim() === "3" &&
		document.querySelector('[data-testid="flag-asis-5"]') !== null &&
		document.querySelector('[data-testid="radar-live"][data-rendered="true"]') !== null`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if v := wsRun(cons, chromedp.Evaluate[int](`window.__noReload || 0`)); v != 42 {
		t.Error("the dashboard reloaded instead of updating in place")
	}
	if got := cons.text(`[data-testid="disagree-asis"]`); !strings.Contains(got, "5 Commitment") {
		t.Errorf("disagreement list = %q, want competency 5", got)
	}
	if n := wsRun(cons, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="heat-asis"] tbody tr').length`)); n != 3 {
		t.Errorf("heatmap rows = %d, want P1-P3", n)
	}
	cons.clean("dashboard")
	cons.screenshot("ws-dashboard")
	cons.accessible("dashboard")

	for _, pg := range []struct{ path, ready, name string }{
		{"/w/portfolio", `[data-testid="portfolio"]`, "ws-portfolio"},
		{"/w/clients", `[data-testid="clients"]`, "ws-clients"},
	} {
		cons.do(chromedp.Navigate(url+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
		cons.clean(pg.path)
		cons.screenshot(pg.name)
		cons.accessible(pg.path)
	}

	// The consultant closes the round; the first participant, reloading, sees their own
	// answers read-only.
	cons.do(
		chromedp.Navigate(dashURL),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="close-round"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="close-round"]`)),
		// Only the closed round's badge lacks badge--open: this waits for the new page.
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="round-status"]:not(.badge--open)`)),
	)
	if got := cons.text(`[data-testid="round-status"]`); !strings.EqualFold(got, "Closed") {
		t.Fatalf("round status after close = %q", got)
	}
	first.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-testid="own-answers"]`)))
	if got := first.text(`[data-testid="own-asis-5"]`) + "→" + first.text(`[data-testid="own-tobe-5"]`); got != "2→4" {
		t.Errorf("closed round, own answer on competency 5 = %q, want 2→4", got)
	}
	first.clean("closed round")
	first.screenshot("ws-participant-closed")
	first.accessible("closed round")

	// Members: Ann, the admin, removes Carl after the confirmation page.
	carl := fmt.Sprint(e.memberID("carl@alpha.example"))
	cons.do(
		chromedp.Navigate(url+"/w/members"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="members"]`)),
	)
	cons.clean("/w/members")
	cons.screenshot("ws-members")
	cons.accessible("/w/members")
	cons.do(
		chromedp.Click(chromedp.CSS(`[data-testid="remove-`+carl+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-remove"]`)),
	)
	cons.clean("remove member")
	cons.screenshot("ws-member-remove")
	cons.do(
		chromedp.Click(chromedp.CSS(`#confirm`)),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-remove"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="members-notice"]`)),
	)
	if got := cons.text(`[data-testid="members"]`); strings.Contains(got, "carl@alpha.example") || !strings.Contains(got, "ann@alpha.example") {
		t.Errorf("members after removing Carl = %q", got)
	}
	cons.clean("members after removal")
}
