package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestParticipantDoneInBrowser sends a participant's answers on a phone in each language, and
// looks at the done state on a laptop too: the page says they are in and what happens next,
// "Change my answers" opens the form with them, sending again comes back to the done state,
// the reveal takes the phone from there to the room's result, and without JavaScript the same
// links work.
func TestParticipantDoneInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newWSEnv(t)
	w := e.world("Fjord Logistik A/S")
	// Each phone joins a round of its own: the tabs share one browser's cookies, and a
	// browser that has joined a round is that round's participant.
	round := func() *assessment.Round {
		r, _ := e.q.NewRound("Kick-off", "en")
		if err := e.db.CreateRound(context.Background(), e.a.ID, w.client.ID, &r); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	var r *assessment.Round
	sent := uniform(3, 4).with(5, 2, 5)
	// Each language sends on a phone; the Danish and English done states are then looked at
	// on a laptop too, by widening the tab rather than sending again.
	for _, c := range []struct {
		lang, title string
		desktop     bool
	}{
		{"en", "Thank you — your answers are in", true},
		{"da", "Tak – dine svar er modtaget", true},
		{"sv", "Tack – dina svar är inskickade", false},
		{"nb", "Takk – svarene dine er mottatt", false},
	} {
		tb = tb.Reopen()
		r = round()
		tb.Do(browsertest.Phone, chromedp.Navigate(e.http.URL+"/j/"+r.Code+"?lang="+c.lang), chromedp.WaitVisible(chromedp.CSS(`[data-testid="start"]`)))
		tb.Do(browsertest.ClickClear(`[data-testid="start"]`))
		tb.WaitShown(`[data-testid="submit"]`)
		answerScores(tb, sent.pairs())
		tb.Do(browsertest.ClickClear(`[data-testid="submit"]`))
		tb.WaitShown(`[data-testid="done"]`)
		widths := []int{390}
		if c.desktop {
			widths = append(widths, 1440)
		}
		for _, width := range widths {
			if width == 1440 {
				tb.Resize(browsertest.Desktop)
			}
			where := fmt.Sprintf("%s %d", c.lang, width)
			if got := tb.Text(`[data-testid="done-title"]`); got != c.title {
				t.Errorf("%s: done title = %q, want %q", where, got, c.title)
			}
			if n := count(tb, `input[type=radio]`); n != 0 {
				t.Errorf("%s: the done state shows %d answer buttons, want none", where, n)
			}
			if over, what := tb.Overflow(width); over > 0 {
				t.Errorf("%s: the done state is %d px too wide: %v", where, over, what)
			}
			tb.Shot(fmt.Sprintf("participant-done-%s-%d", c.lang, width))
			if c.lang == "en" {
				tb.Accessible(fmt.Sprintf("done state %d", width))
			}
		}
		tb.CheckClean("done state "+c.lang, true)
	}

	// Change my answers: the form with the 42 answers sent; sending again is done again.
	tb.Do(browsertest.ClickClear(`[data-testid="change-answers"]`))
	tb.WaitShown(`[data-testid="sent-notice"]`)
	if n := count(tb, `input[type=radio]:checked`); n != 42 {
		t.Errorf("the form to change shows %d answers, want the 42 sent", n)
	}
	if got := browsertest.Eval[string](tb, `document.querySelector('input[name="c5_as_is"]:checked').value`); got != "2" {
		t.Errorf("competency 5 today = %q, want the 2 sent", got)
	}
	tb.Do(browsertest.ClickClear(`[data-testid="submit"]`))
	tb.WaitShown(`[data-testid="done"]`)

	// The reveal: the phone goes from the done state to the room's result by itself.
	if err := e.db.SetRoundRevealed(context.Background(), e.a.ID, r.ID, true); err != nil {
		t.Fatal(err)
	}
	tb.WaitFor(`location.pathname.endsWith('/room') && document.querySelector('[data-testid="room"]') !== null`)

	// Without JavaScript (the tabs share the browser's cookies: the same participant): the
	// done state, its links, and the form behind "Change my answers".
	tb = tb.Reopen()
	tb.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	tb.Do(browsertest.Phone, chromedp.Navigate(e.http.URL+"/j/"+r.Code+"?lang=en"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="done"]`)))
	if got := browsertest.Eval[string](tb, `document.documentElement.className`); got != "no-js" {
		t.Fatalf("script ran: the page's class is %q, want no-js", got)
	}
	if got := tb.Text(`[data-testid="done"] [data-testid="room-link"]`); got != "See the room's result" {
		t.Errorf("without script, the revealed round's done state links %q, want the room", got)
	}
	tb.Do(chromedp.Click(chromedp.CSS(`[data-testid="change-answers"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="sent-notice"]`)))
	if n := count(tb, `input[type=radio]:checked`); n != 42 {
		t.Errorf("without script, the form to change shows %d answers, want 42", n)
	}
	if !strings.HasSuffix(browsertest.Run(tb, chromedp.Location()), "?edit=1") {
		t.Error("without script, Change my answers is not the ?edit=1 form")
	}
}
