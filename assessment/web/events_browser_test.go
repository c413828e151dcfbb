package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// pushBound is the product's promise for a room: what a phone sends shows on the projector
// within a second.
const pushBound = time.Second

// TestLivePushInBrowser: a phone sends its answers and the projector, in another browser,
// shows one more finished within a second, without a reload. The pages poll only once a
// minute here, so only the stream can keep the promise. The time is measured in the
// browsers (one machine, one clock): from the tap on Send to the projector's DOM change.
// It is not parallel, on purpose: it times the push, so it runs before the parallel tests
// start, with nothing else in the browser.
func TestLivePushInBrowser(t *testing.T) {
	proj := browsertest.NewTab(t)
	e := newWSEnv(t, livePoll(time.Minute))
	w := e.world("Acme") // Sam has finished: one finished
	base := e.http.URL

	signIn(proj, base)
	proj.Do(browsertest.Projector, chromedp.Navigate(fmt.Sprintf("%s/w/rounds/%d/present", base, w.round.ID)))
	proj.WaitShown(`[data-testid="lobby-finished"]`)
	proj.WaitFor(`document.querySelector('[data-testid="present-live"]').getAttribute('data-live-open') === 'true'`)
	if got := proj.Text(`[data-testid="lobby-finished"]`); got != "1" {
		t.Fatalf("projector before = %q finished, want 1", got)
	}
	// The projector notes when its count changes.
	browsertest.Eval[bool](proj, `(function () {
		var box = document.querySelector('[data-testid="present-live"]');
		window.__changedAt = 0;
		new MutationObserver(function () {
			var n = document.querySelector('[data-testid="lobby-finished"]');
			if (!window.__changedAt && n && n.textContent.trim() === '2') window.__changedAt = Date.now();
		}).observe(box, { childList: true, subtree: true, characterData: true });
		return true;
	})()`)

	phone := browsertest.NewTab(t)
	phone.Do(browsertest.Phone, chromedp.Navigate(base+"/j/"+w.round.Code), chromedp.WaitVisible(chromedp.CSS(`[data-testid="welcome"]`)))
	phone.Do(
		chromedp.SendKeys(chromedp.CSS(`#name`), "Tove"),
		chromedp.Click(chromedp.CSS(`[data-testid="start"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)),
	)
	answers := uniform(3, 4)
	answerScores(phone, answers.pairs())
	sentAt := browsertest.Eval[float64](phone, `(function () {
		var t = Date.now();
		document.querySelector('[data-testid="submit"]').click();
		return t;
	})()`)
	proj.WaitFor(`window.__changedAt > 0`)
	changedAt := browsertest.Eval[float64](proj, `window.__changedAt`)
	took := time.Duration(changedAt-sentAt) * time.Millisecond
	if took > pushBound {
		t.Errorf("from Send on the phone to the projector's change: %s, want at most %s", took, pushBound)
	}
	t.Logf("from Send to the projector: %s", took)
	if got := browsertest.Eval[string](proj, `document.querySelector('[data-testid="present-live"]').getAttribute('data-live-mode')`); got != "stream" {
		t.Errorf("projector's live mode = %q, want stream", got)
	}
	proj.CheckClean("projector", true)
}

// TestLiveFallsBackToPollingInBrowser: in a browser without EventSource the projector polls,
// as before the streams, and still follows the room.
func TestLiveFallsBackToPollingInBrowser(t *testing.T) {
	t.Parallel()
	proj := browsertest.NewTab(t)
	e := newWSEnv(t, livePoll(200*time.Millisecond))
	w := e.world("Acme")
	base := e.http.URL
	proj.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: "delete window.EventSource;"})
		return err
	}))
	signIn(proj, base)
	proj.Do(browsertest.Projector, chromedp.Navigate(fmt.Sprintf("%s/w/rounds/%d/present", base, w.round.ID)))
	proj.WaitShown(`[data-testid="lobby-finished"]`)
	finish(t, e, w.round.Code, 2)
	proj.WaitFor(`document.querySelector('[data-testid="lobby-finished"]').textContent.trim() === '2'`)
	if got := browsertest.Eval[string](proj, `document.querySelector('[data-testid="present-live"]').getAttribute('data-live-mode')`); got != "poll" {
		t.Errorf("live mode without EventSource = %q, want poll", got)
	}
}
