package main

// Browser tests: the real program (run → serve on a temp database) driven by a real
// Chromium through chromedp. They skip when Chromium is missing, except under CI=true,
// where a missing browser is a failure: CI must never pass by skipping them.
//
// Set LOYALTY_SCREENSHOT_DIR to keep screenshots of the home, test and result pages at
// 1280 px (desktop) and 390 px (mobile) for a human to look at.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browserTimeout bounds one browser test, browser start excluded.
const browserTimeout = 45 * time.Second

// shared is the one Chromium all browser tests use; each test gets its own tab in its own
// browser context (no shared cookies).
var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

// chromiumPath finds the browser: Debian's /usr/bin/chromium, else chromium in PATH.
func chromiumPath() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser returns the context of the shared browser, starting it on first use.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but Chromium is not installed (no /usr/bin/chromium, no chromium in PATH): " +
				"browser tests must run in CI; .ci/run installs the Debian package chromium")
		}
		t.Skip("Chromium not found (no /usr/bin/chromium, no chromium in PATH); install it to run the browser tests")
	}
	shared.once.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox, // CI runs as root
			chromedp.DisableGPU,
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("lang", "en-US"),
			chromedp.WindowSize(1280, 900),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(allocCtx)
		shared.ctx = ctx
		shared.cancel = func() { cancelCtx(); cancelAlloc() }
		// The first Do binds the browser's life to ctx, so it gets no deadline of its own; a
		// timer kills a browser that hangs at start instead.
		timer := time.AfterFunc(60*time.Second, cancelAlloc)
		shared.err = chromedp.Do(ctx)
		timer.Stop()
		if shared.err != nil {
			shared.cancel()
		}
	})
	if shared.err != nil {
		t.Fatalf("starting %s: %v", path, shared.err)
	}
	return shared.ctx
}

// stopBrowser ends the shared browser; TestMain calls it after the tests.
func stopBrowser() {
	if shared.cancel != nil {
		shared.cancel()
	}
}

// cspHook records Content-Security-Policy violations in the page, where the console check
// reads them; it runs before any script of the page (and is not itself subject to the CSP).
const cspHook = `(function () {
  var v = [];
  Object.defineProperty(window, '__cspViolations', { value: v });
  document.addEventListener('securitypolicyviolation', function (e) {
    v.push('CSP ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || '?') + ':' + e.lineNumber);
  });
})();`

// tab is one browser tab that records console errors, uncaught exceptions, error-level
// browser log entries (failed loads, CSP reports) and CSP violations.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string
}

func newTab(t *testing.T) *tab {
	t.Helper()
	bctx := browser(t)
	tctx, cancelTimeout := context.WithTimeout(bctx, browserTimeout)
	tb := &tab{t: t}
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.listen))
	t.Cleanup(func() { cancel(); cancelTimeout() })
	tb.ctx = ctx
	tb.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspHook})
		return err
	}))
	return tb
}

// listen runs in the tab's event loop: it must return fast and send no command.
func (tb *tab) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				switch {
				case a.Description != "":
					parts = append(parts, a.Description)
				case len(a.Value) > 0:
					parts = append(parts, string(a.Value))
				default:
					parts = append(parts, string(a.Type))
				}
			}
			msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = "uncaught exception: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		msg += fmt.Sprintf(" at %s:%d", d.URL, d.LineNumber+1)
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		if e.Level == cdplog.EntryLevelError || e.Source == cdplog.EntrySourceSecurity {
			msg = fmt.Sprintf("browser log %s/%s: %s %s", e.Source, e.Level, e.Text, e.URL)
		}
	}
	if msg != "" {
		tb.mu.Lock()
		tb.problems = append(tb.problems, msg)
		tb.mu.Unlock()
	}
}

// takeProblems returns and clears what the tab recorded. With script, it also collects the
// page's CSP violations; the evaluation is a round trip, so every event the browser sent
// before it has reached listen.
func (tb *tab) takeProblems(script bool) []string {
	tb.t.Helper()
	var csp []string
	if script {
		csp = run1(tb, chromedp.Evaluate[[]string](`window.__cspViolations ? window.__cspViolations.splice(0) : []`))
	} else {
		run1(tb, chromedp.Location()) // a round trip, to flush the events
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	out := append(tb.problems, csp...)
	tb.problems = nil
	return out
}

// checkClean fails the test if the page logged errors or violated the CSP.
func (tb *tab) checkClean(where string, script bool) {
	tb.t.Helper()
	if p := tb.takeProblems(script); len(p) > 0 {
		tb.t.Errorf("%s: %d console error(s) / CSP violation(s):\n  %s", where, len(p), strings.Join(p, "\n  "))
	}
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

func run1[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, a)
	if err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
	return v
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(run1(tb, chromedp.Text(chromedp.CSS(sel))))
}

// answer clicks the label of each hand-computed answer, as a person does (the radios
// themselves are visually hidden).
func (tb *tab) answer() {
	tb.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for n := 1; n <= competencies; n++ {
		asIs, toBe := handAnswers(n)
		steps = append(steps,
			clickClear(fmt.Sprintf(`label[for="c%d_as_is_%d"]`, n, asIs)),
			clickClear(fmt.Sprintf(`label[for="c%d_to_be_%d"]`, n, toBe)),
		)
	}
	tb.do(steps...)
	for n := 1; n <= competencies; n++ {
		asIs, toBe := handAnswers(n)
		for _, id := range []string{fmt.Sprintf("c%d_as_is_%d", n, asIs), fmt.Sprintf("c%d_to_be_%d", n, toBe)} {
			if !run1(tb, chromedp.JavascriptAttribute[bool](chromedp.ID(id), "checked")) {
				tb.t.Fatalf("clicking label[for=%s] did not check the radio", id)
			}
		}
	}
}

// clickClear clicks the centre of the element after scrolling it well inside the viewport.
// chromedp.Click scrolls only until the element's centre is on screen, which can leave it
// under the sticky submit bar at the bottom of the form, where a click lands on the bar.
func clickClear(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Query(chromedp.CSS(sel), chromedp.NodeVisible, chromedp.After(
		func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) error {
			n := nodes[0]
			margin := &dom.Rect{X: 0, Y: -250, Width: 1, Height: 560} // 250 px above and ~250 px below
			if _, err := cdp.Call(ctx, t, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{NodeID: n.NodeID, Rect: margin}); err != nil {
				return err
			}
			_, err := chromedp.MouseClickNode(n)(ctx, t)
			return err
		}))
}

var resultURL = regexp.MustCompile(`^http://[^/]+/r/[A-Za-z0-9_-]{20,}$`)

// checkResult checks the numbers worked out by hand in handAnswers.
func (tb *tab) checkResult(company string) {
	tb.t.Helper()
	for sel, want := range map[string]string{
		`[data-testid="asis-index"]`: "24",
		`[data-testid="tobe-index"]`: "76",
		`[data-testid="gap-index"]`:  "+52",
	} {
		if got := tb.text(sel); got != want {
			tb.t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	first := run1(tb, chromedp.AttributeValue(chromedp.CSS(`[data-testid="gap-table"] tbody tr[data-competency]`), "data-competency"))
	if first.Value != "13" {
		tb.t.Errorf("first gap table row is competency %q, want 13 (the only gap of 4)", first.Value)
	}
	rows := run1(tb, chromedp.Nodes(chromedp.CSSAll(`[data-testid="gap-table"] tbody tr[data-competency]`)))
	if len(rows) != competencies {
		tb.t.Errorf("gap table has %d rows, want %d", len(rows), competencies)
	}
	if got := tb.text(`[data-testid="result-title"]`); !strings.Contains(got, company) {
		tb.t.Errorf("result title = %q, want it to contain the company name %q as text", got, company)
	}
}

// shotDir is where screenshots go: LOYALTY_SCREENSHOT_DIR, else the test's temp dir.
func shotDir(t *testing.T) (dir string, keep bool) {
	if d := os.Getenv("LOYALTY_SCREENSHOT_DIR"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d, true
	}
	return t.TempDir(), false
}

func (tb *tab) screenshot(dir, name string) {
	tb.t.Helper()
	png := run1(tb, chromedp.FullScreenshot(100))
	if len(png) < 8 || string(png[1:4]) != "PNG" {
		tb.t.Fatalf("screenshot %s is not a PNG (%d bytes)", name, len(png))
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot: %s", path)
}

// waitCharts waits until ECharts has drawn both radars.
func (tb *tab) waitCharts() {
	tb.t.Helper()
	for _, id := range []string{"radar-categories", "radar-competencies"} {
		tb.do(chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`[data-chart="%s-data"][data-rendered="true"] svg`, id))))
	}
	if errs := run1(tb, chromedp.Nodes(chromedp.CSSAll(`[data-chart-error]`), chromedp.AtLeast(0))); len(errs) > 0 {
		tb.t.Errorf("%d chart(s) report data-chart-error", len(errs))
	}
}

// overflowJS names the elements that set the page's scroll width when it is wider than the
// viewport (%d px): often an absolutely positioned element that escapes a scroll container.
const overflowJS = `(function () {
  var w = %d, sw = document.documentElement.scrollWidth, out = [];
  if (sw <= w) return out;
  function name(e) {
    var c = typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '';
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + c;
  }
  // clipped: inside a scroll or clip container that does not itself stick out. An absolutely
  // positioned element escapes a container that does not hold its containing block.
  function clipped(e) {
    var abs = /absolute|fixed/.test(getComputedStyle(e).position);
    for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible' || a.getBoundingClientRect().right >= sw - 1) continue;
      if (!abs || (e.offsetParent && a.contains(e.offsetParent))) return true;
    }
    return false;
  }
  document.querySelectorAll('body *').forEach(function (e) {
    if (Math.round(e.getBoundingClientRect().right) < sw - 1 || clipped(e)) return;
    var path = [name(e)];
    for (var p = e.parentElement, i = 0; p && p !== document.body && i < 3; p = p.parentElement, i++) path.unshift(name(p));
    out.push(path.join(' > '));
  });
  return out.slice(-3);
})()`

// TestBrowserTestToResult takes the test as a person does and checks the result page: the
// hand-computed indices, the priority order, both radars drawn, and no console error or
// CSP violation on any page.
func TestBrowserTestToResult(t *testing.T) {
	tb := newTab(t) // first: skips or fails before starting anything when there is no browser
	a := startApp(t, "-db", dbPath(t))
	const company = `Acme </script><b>Nordic</b> A/S`

	tb.do(
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(a.URL+"/test?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)),
	)
	if got := tb.text(`[data-progress-count]`); got != "0 of 21 answered" {
		t.Errorf("progress before answering = %q, want %q", got, "0 of 21 answered")
	}
	tb.answer()
	if got := tb.text(`[data-progress-count]`); got != "21 of 21 answered" {
		t.Errorf("progress after answering = %q, want %q", got, "21 of 21 answered")
	}
	tb.checkClean("/test", true)

	tb.do(
		chromedp.SendKeys(chromedp.ID("company"), company),
		chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="result-title"]`)),
	)
	loc := run1(tb, chromedp.Location())
	if !resultURL.MatchString(loc) {
		t.Fatalf("after submit the URL is %q, want %s/r/TOKEN", loc, a.URL)
	}
	tb.waitCharts()
	tb.checkResult(company)
	tb.checkClean("result page", true)

	dir, keep := shotDir(t)
	tb.screenshot(dir, "result-full.png")
	if !keep {
		return
	}
	for _, vp := range []struct {
		name  string
		width int
		set   chromedp.Action[chromedp.Void]
	}{
		{"desktop", 1280, chromedp.EmulateViewport(1280, 900)},
		{"mobile", 390, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))},
	} {
		for _, pg := range []struct{ name, url, ready string }{
			{"home", a.URL + "/?lang=en", "main"},
			{"test", a.URL + "/test?lang=en", `[data-testid="submit"]`},
			{"result", loc, `[data-testid="result-title"]`},
		} {
			tb.do(vp.set, chromedp.Navigate(pg.url), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
			if pg.name == "result" {
				tb.waitCharts()
			}
			// A mobile browser widens its layout viewport to fit content that is too wide, so
			// compare with the width asked for, not with innerWidth.
			overflow := run1(tb, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)) - vp.width
			if overflow > 0 {
				culprits := run1(tb, chromedp.Evaluate[[]string](fmt.Sprintf(overflowJS, vp.width)))
				t.Errorf("%s %s: the page is %d px wider than the viewport (horizontal scroll); widest: %s",
					vp.name, pg.name, overflow, strings.Join(culprits, ", "))
			}
			tb.screenshot(dir, vp.name+"-"+pg.name+".png")
			tb.checkClean(vp.name+" "+pg.name, true)
		}
	}
}

// TestBrowserWithoutJavaScript takes the test with script execution disabled: clicks on the
// labels and Enter in a text field must submit the form, and the result page must offer the
// chart data as tables (details.chart-table) that open without script.
func TestBrowserWithoutJavaScript(t *testing.T) {
	tb := newTab(t) // first: skips or fails before starting anything when there is no browser
	a := startApp(t, "-db", dbPath(t))
	const company = "No Script Ltd"

	tb.do(
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(a.URL+"/test?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)),
	)
	tb.answer()
	// The server rendered "0 of 21": with app.js not running, it stays. This proves that the
	// page really runs without script, not that the counter is wrong.
	if got := tb.text(`[data-progress-count]`); got != "0 of 21 answered" {
		t.Fatalf("progress without script = %q, want the server's %q (is script really off?)", got, "0 of 21 answered")
	}
	tb.do(
		chromedp.SendKeys(chromedp.ID("company"), company+"\r"), // Enter submits the form
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="result-title"]`)),
	)
	if loc := run1(tb, chromedp.Location()); !resultURL.MatchString(loc) {
		t.Fatalf("after Enter the URL is %q, want %s/r/TOKEN", loc, a.URL)
	}
	tb.checkResult(company)

	if n := run1(tb, chromedp.Nodes(chromedp.CSSAll(`[data-chart] svg`), chromedp.AtLeast(0))); len(n) != 0 {
		t.Errorf("%d chart drawings without script, want 0 (is script really off?)", len(n))
	}
	details := run1(tb, chromedp.Nodes(chromedp.CSSAll(`details.chart-table`)))
	if len(details) != 2 {
		t.Fatalf("result page has %d details.chart-table, want 2 (categories, competencies)", len(details))
	}
	// Without script the tables are open from the start (the chart boxes are hidden), and
	// readable as they are.
	hidden := run1(tb, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.chart')).map(e => getComputedStyle(e).display)`))
	if len(hidden) != 2 || hidden[0] != "none" || hidden[1] != "none" {
		t.Errorf("chart boxes without script have display %q, want two hidden (none)", hidden)
	}
	for i, want := range []int{7, competencies} {
		sel := fmt.Sprintf(`.chart-card:nth-of-type(%d) details.chart-table`, i+1)
		tb.do(chromedp.WaitVisible(chromedp.CSS(sel + "[open] table.scores-table")))
		rows := run1(tb, chromedp.Nodes(chromedp.CSSAll(sel+" table.scores-table tbody tr")))
		if len(rows) != want {
			t.Errorf("%s has %d rows, want %d", sel, len(rows), want)
		}
	}
	// Loyalty Strategy holds competencies 13, 14, 15: AS-IS (1+2+2)/3 = 1.67, TO-BE
	// (5+4+4)/3 = 4.33, gap 2.67, shown with one decimal.
	found := false
	for i := 1; i <= 7; i++ {
		row := strings.Fields(tb.text(fmt.Sprintf(`.chart-card:nth-of-type(1) table.scores-table tbody tr:nth-child(%d)`, i)))
		if !strings.Contains(strings.Join(row, " "), "Loyalty Strategy") {
			continue
		}
		found = true
		if got := strings.Join(row[len(row)-3:], " "); got != "1.7 4.3 +2.7" {
			t.Errorf("Loyalty Strategy row ends %q, want %q", got, "1.7 4.3 +2.7")
		}
	}
	if !found {
		t.Error("the category table has no Loyalty Strategy row")
	}
	tb.checkClean("result page without script", false)

	dir, _ := shotDir(t)
	tb.screenshot(dir, "result-nojs-full.png")
}

// TestBrowserConsoleCheckCatchesCSPViolation shows that the console check above can fail:
// a page served with the app's own CSP header and an inline script and style must be
// reported.
func TestBrowserConsoleCheckCatchesCSPViolation(t *testing.T) {
	tb := newTab(t)
	a := startApp(t, "-db", dbPath(t))
	resp, err := http.Get(a.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("app CSP = %q, want a policy without unsafe-inline", csp)
	}
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html><body><p style="color:red">x</p><script>console.log("inline ran")</script></body></html>`)
	}))
	defer bad.Close()

	tb.do(chromedp.Navigate(bad.URL), chromedp.WaitReady(chromedp.CSS("p")))
	var got []string
	for deadline := time.Now().Add(10 * time.Second); len(got) < 2 && time.Now().Before(deadline); {
		got = append(got, tb.takeProblems(true)...)
		time.Sleep(50 * time.Millisecond)
	}
	all := strings.Join(got, "\n")
	if !strings.Contains(all, "script-src") || !strings.Contains(all, "style-src") {
		t.Errorf("the console check reported %q, want the blocked inline script and style", got)
	}
}
