// Package browsertest is the one browser harness of the project's tests: a real headless
// Chromium (Debian's headless shell where it is installed: see chromiumPath) driven through
// chromedp, shared by all tests of a test binary, with one tab per test in a browser context
// of its own (no shared cookies). A tab records console errors,
// uncaught exceptions, failed loads and Content-Security-Policy violations, checks pages
// with axe-core, waits for the ECharts radars to be drawn and takes screenshots.
//
// Tests skip when Chromium is missing, except under CI=true, where that is a failure: CI must
// never pass by skipping the browser tests. It is imported by tests only.
package browsertest

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Timeout bounds one tab, the browser's start excluded.
const Timeout = 150 * time.Second

// shared is the one Chromium of the test binary.
var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

// chromiumPath finds the browser: LOYALTY_CHROMIUM when set; else Debian's headless shell,
// /usr/bin/chromium-headless-shell (package chromium-headless-shell: the same Blink as the
// chromium package, built without the browser's windows, tabs and profile machinery, so a tab
// costs the test far less CPU: about half of the suite's time on 2 cores); else Debian's
// /usr/bin/chromium; else chromium in PATH.
func chromiumPath() string {
	if p := os.Getenv("LOYALTY_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium-headless-shell", "/usr/bin/chromium"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	for _, name := range []string{"chromium-headless-shell", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser returns the shared browser, starting it on first use.
func browser(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but Chromium is not installed (no /usr/bin/chromium-headless-shell or /usr/bin/chromium, none in PATH): " +
				"browser tests must run in CI; .ci/run installs the Debian packages chromium-headless-shell and chromium")
		}
		t.Skip("Chromium not found (no /usr/bin/chromium-headless-shell or /usr/bin/chromium, none in PATH); install it to run the browser tests")
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
			// V8 compiles and collects garbage on the page's own thread instead of helper
			// threads: the suite keeps both cores busy with two tests at once, where helper
			// threads only add switching; it takes about a tenth off the CPU a page costs.
			chromedp.Flag("js-flags", "--single-threaded"),
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

// Require skips or fails the test (see the package comment) when there is no browser, and
// otherwise starts the shared one. A test that opens its tabs later, in subtests, calls it
// first, so that it stops before building anything; NewTab does the same check itself.
func Require(t testing.TB) {
	t.Helper()
	browser(t)
}

// Stop ends the shared browser. Call it from TestMain after m.Run.
func Stop() {
	if shared.cancel != nil {
		shared.cancel()
	}
}

// cspHook records Content-Security-Policy violations in the page, where Problems reads them;
// it runs before any script of the page (and is not itself subject to the CSP).
const cspHook = `(function () {
  var v = [];
  Object.defineProperty(window, '__cspViolations', { value: v });
  document.addEventListener('securitypolicyviolation', function (e) {
    v.push('CSP ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || '?') + ':' + e.lineNumber);
  });
})();`

// Tab is one browser tab of one test.
type Tab struct {
	T   testing.TB
	Ctx context.Context

	mu       sync.Mutex
	problems []string
}

// NewTab opens a tab in a browser context of its own. It skips or fails the test (see the
// package comment) before anything else when there is no browser, so call it first.
func NewTab(t testing.TB) *Tab {
	t.Helper()
	bctx := browser(t)
	tctx, cancelTimeout := context.WithTimeout(bctx, Timeout)
	tb := &Tab{T: t}
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.listen))
	t.Cleanup(func() { cancel(); cancelTimeout() })
	tb.Ctx = ctx
	tb.Do(prepare)
	return tb
}

// prepare readies a new tab: the CSP hook before any script of a page, and reduced motion.
// It also turns off two of the DevTools domains chromedp enables in every tab, whose events
// no test reads: CSS (the browser tracks every style sheet for a debugger) and Network (it
// sends an event for every request and keeps response bodies for one). A failed load is
// still reported, as a log entry (listen). It takes about a twentieth off what a tab costs
// Chromium.
var prepare = chromedp.Steps(
	chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, css.Disable, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.Disable, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspHook})
		return err
	}),
	Media(""),
)

// reducedMotion is what every tab asks for, as many people's systems do: the charts are then
// drawn at once instead of animating for 300 ms (static/js/app.js), which takes about 40 % off
// what a result page costs the browser, and a third off the whole suite's time. Tests that
// want the motion call AllowMotion; TestChartMotionInBrowser checks both ways.
var reducedMotion = []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}

// Media emulates a CSS media type ("print", or "" for the screen) in a tab that asks for
// reduced motion.
func Media(kind string) chromedp.Action[chromedp.Void] {
	return emulateMedia(kind, reducedMotion)
}

// AllowMotion makes the tab stop asking for reduced motion, from the next page on.
func (tb *Tab) AllowMotion() {
	tb.T.Helper()
	tb.Do(emulateMedia("", []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "no-preference"}}))
}

func emulateMedia(kind string, features []*emulation.MediaFeature) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: kind, Features: features})
		return err
	})
}

// Reopen closes the tab's page and opens a new tab in the same browser context, as a person
// who closes a tab and comes back: cookies and storage remain. Use the returned tab.
func (tb *Tab) Reopen() *Tab {
	tb.T.Helper()
	next := &Tab{T: tb.T}
	ctx, cancel := chromedp.NewContext(tb.Ctx, chromedp.WithListener(next.listen))
	tb.T.Cleanup(cancel)
	next.Ctx = ctx
	next.Do(prepare)
	tb.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.Close, cdp.Empty{})
		return err
	}))
	return next
}

// Desktop, Phone and Projector are the viewports pages are checked at.
var (
	Desktop   = chromedp.EmulateViewport(1440, 900)
	Phone     = chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
	Projector = chromedp.EmulateViewport(1920, 1080)
)

// listen runs in the tab's event loop: it must return fast and send no command.
func (tb *Tab) listen(ev any) {
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

// Problems returns and clears what the tab recorded. With script, it also collects the page's
// CSP violations; the evaluation is a round trip, so every event the browser sent before it
// has reached listen.
func (tb *Tab) Problems(script bool) []string {
	tb.T.Helper()
	var csp []string
	if script {
		csp = Run(tb, chromedp.Evaluate[[]string](`window.__cspViolations ? window.__cspViolations.splice(0) : []`))
	} else {
		Run(tb, chromedp.Location()) // a round trip, to flush the events
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	out := append(tb.problems, csp...)
	tb.problems = nil
	return out
}

// CheckClean fails the test if the page logged errors or violated the CSP.
func (tb *Tab) CheckClean(where string, script bool) {
	tb.T.Helper()
	if p := tb.Problems(script); len(p) > 0 {
		tb.T.Errorf("%s: %d console error(s) / CSP violation(s):\n  %s", where, len(p), strings.Join(p, "\n  "))
	}
}

// Do runs steps, failing the test on an error.
func (tb *Tab) Do(steps ...chromedp.Action[chromedp.Void]) {
	tb.T.Helper()
	if err := chromedp.Do(tb.Ctx, steps...); err != nil {
		tb.T.Fatalf("browser: %v", err)
	}
}

// Run runs one action that returns a value, failing the test on an error.
func Run[T any](tb *Tab, a chromedp.Action[T]) T {
	tb.T.Helper()
	v, err := chromedp.Run(tb.Ctx, a)
	if err != nil {
		tb.T.Fatalf("browser: %v", err)
	}
	return v
}

// Text returns the trimmed, visible text of the element sel selects, once it exists. The text
// is read in the page in one step, so a live page that replaces the element meanwhile cannot
// make the read fail.
func (tb *Tab) Text(sel string) string {
	tb.T.Helper()
	tb.Do(chromedp.WaitReady(chromedp.CSS(sel)))
	return strings.TrimSpace(Eval[string](tb, fmt.Sprintf(`(function (e) { return e ? e.innerText : ''; })(document.querySelector(%q))`, sel)))
}

// Eval evaluates a script and returns its value.
func Eval[T any](tb *Tab, script string) T {
	tb.T.Helper()
	return Run(tb, chromedp.Evaluate[T](script))
}

// WaitFor waits until script evaluates to true as the page changes on its own: a live poll, a
// reveal, or a navigation the page's own script starts (chromedp's node queries lose track of
// a document they did not load; an evaluation does not). It asks the page every 50 ms and
// gives up at the tab's deadline: it waits on the page, not on a clock.
func (tb *Tab) WaitFor(script string) {
	tb.T.Helper()
	for {
		ok, err := chromedp.Run(tb.Ctx, chromedp.Evaluate[bool]("!!("+script+")"))
		if err == nil && ok {
			return
		}
		select {
		case <-tb.Ctx.Done():
			tb.T.Fatalf("browser: waiting for %s: %v (last error: %v)", script, tb.Ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// WaitShown waits until the page has loaded (its deferred scripts ran) and shows an element
// sel selects. It uses WaitFor, so it follows the page's own navigations.
func (tb *Tab) WaitShown(sel string) {
	tb.T.Helper()
	tb.WaitFor(fmt.Sprintf(`document.readyState === 'complete' && (function (e) { return e !== null && e.getClientRects().length > 0; })(document.querySelector(%q))`, sel))
}

// ClickClear clicks the centre of the element after scrolling it well inside the viewport.
// chromedp.Click scrolls only until the element's centre is on screen, which can leave it
// under a sticky bar at the bottom of the page, where a click lands on the bar.
func ClickClear(sel string) chromedp.Action[chromedp.Void] {
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

// WaitCharts waits until ECharts has drawn the radars whose data elements have the given ids
// (the page's [data-chart] attribute), and fails the test if any chart reports an error.
func (tb *Tab) WaitCharts(ids ...string) {
	tb.T.Helper()
	for _, id := range ids {
		tb.Do(chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`[data-chart="%s"][data-rendered="true"] svg`, id))))
	}
	if errs := Run(tb, chromedp.Nodes(chromedp.CSSAll(`[data-chart-error]`), chromedp.AtLeast(0))); len(errs) > 0 {
		tb.T.Errorf("%d chart(s) report data-chart-error", len(errs))
	}
}

// Resize changes the viewport of the loaded page to size, as a window narrowed or a phone
// turned, and returns once the page has its new size and every radar it had drawn that still
// shows is drawn again: it waits for the window's resize event (so size must differ from the
// current one), then for ECharts' "finished" (data-rendered) after app.js has fitted the
// radars anew. Resizing a page costs Chromium far less than loading it again.
func (tb *Tab) Resize(size chromedp.Action[chromedp.Void]) {
	tb.T.Helper()
	tb.Do(chromedp.Evaluate[chromedp.Void](`(function () {
  window.__resized = new Promise(function (done) { window.addEventListener('resize', done, { once: true }); });
  document.querySelectorAll('[data-redraw]').forEach(function (h) { h.removeAttribute('data-redraw'); });
  document.querySelectorAll('[data-chart][data-rendered="true"]').forEach(function (h) {
    h.removeAttribute('data-rendered');
    h.setAttribute('data-redraw', '');
  });
})()`))
	tb.Do(size)
	Run(tb, chromedp.Evaluate[bool](`window.__resized.then(function () { return true; })`, chromedp.EvalAwaitPromise))
	tb.WaitFor(`Array.prototype.every.call(document.querySelectorAll('[data-redraw]'), function (h) {
  return h.getClientRects().length === 0 || (h.getAttribute('data-rendered') === 'true' && h.querySelector('svg') !== null);
})`)
	tb.WaitCharts() // no chart reports an error
}

//go:embed axe/axe.min.js
var axeSource []byte

//go:embed axe/VERSION.md
var axeVersion string

// AxeChecksum reports whether the embedded axe-core is the file axe/VERSION.md names.
func AxeChecksum() bool {
	sum := sha256.Sum256(axeSource)
	return strings.Contains(axeVersion, hex.EncodeToString(sum[:]))
}

// Violation is one broken accessibility rule that axe-core reports.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  int    `json:"nodes"`
	Target string `json:"target"`
}

// axeRun runs all of axe-core's rules on the page (WCAG 2.x A and AA, and the best
// practices: landmarks, headings, unique names) and returns the violations.
const axeRun = `axe.run(document, {resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.length,
    target: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')})))`

// Accessible runs axe-core on the current page with all its rules and fails the test on any
// violation, whatever its impact.
func (tb *Tab) Accessible(where string) {
	tb.T.Helper()
	// axe is injected once per page: a page checked again after a resize still has it.
	if !Run(tb, chromedp.Evaluate[bool](`typeof window.axe === 'object'`)) {
		tb.Do(chromedp.Evaluate[chromedp.Void](string(axeSource)))
	}
	for _, v := range Run(tb, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise)) {
		tb.T.Error(where + ": " + v.ID + " (" + v.Impact + "): " + v.Help + " — " + v.Target)
	}
}

// ShotDir is where screenshots go: LOYALTY_SCREENSHOT_DIR when set (keep reports whether it
// is), else the test's temporary directory.
func ShotDir(t testing.TB) (dir string, keep bool) {
	if d := os.Getenv("LOYALTY_SCREENSHOT_DIR"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d, true
	}
	return t.TempDir(), false
}

// Screenshot saves a full-page PNG of the tab as dir/name.
func (tb *Tab) Screenshot(dir, name string) {
	tb.T.Helper()
	png := Run(tb, chromedp.FullScreenshot(100))
	if len(png) < 8 || string(png[1:4]) != "PNG" {
		tb.T.Fatalf("screenshot %s is not a PNG (%d bytes)", name, len(png))
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.T.Fatal(err)
	}
	tb.T.Logf("screenshot: %s", path)
}

// Shot saves a full-page PNG as name.png in LOYALTY_SCREENSHOT_DIR, for a person to look at;
// without that variable it does nothing (a screenshot costs a few hundred milliseconds).
func (tb *Tab) Shot(name string) {
	tb.T.Helper()
	if dir, keep := ShotDir(tb.T); keep {
		tb.Screenshot(dir, name+".png")
	}
}

// Overflow returns how many pixels wider than width the page is, and the elements that make
// it so (empty when it fits): a page must never scroll sideways.
func (tb *Tab) Overflow(width int) (int, []string) {
	tb.T.Helper()
	// A mobile browser widens its layout viewport to fit content that is too wide, so compare
	// with the width asked for, not with innerWidth.
	over := Run(tb, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)) - width
	if over <= 0 {
		return 0, nil
	}
	return over, Run(tb, chromedp.Evaluate[[]string](fmt.Sprintf(overflowJS, width)))
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
