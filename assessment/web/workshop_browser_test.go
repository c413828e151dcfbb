package web

// The workshop in real browsers, the way it runs in front of a client: the consultant's
// laptop, the projector (1920×1080) and six phones, each in a browser context of its own.
// It skips when Chromium is missing, except under CI=true, where that is a failure. Set
// LOYALTY_SCREENSHOT_DIR to keep screenshots of every step for a human to look at.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/loyalty-cx/loyalty/assessment"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// answerScores clicks the label of each of a participant's scores, for the first len(s)
// statements. The labels are clicked
// from script: a phone user taps each one into view, which chromedp's click may find covered
// by the sticky submit bar.
func answerScores(tb *browsertest.Tab, s [][2]int) {
	tb.T.Helper()
	var ids []string
	for i, x := range s {
		ids = append(ids, fmt.Sprintf(`"c%d_as_is_%d"`, i+1, x[0]), fmt.Sprintf(`"c%d_to_be_%d"`, i+1, x[1]))
	}
	n := browsertest.Run(tb, chromedp.Evaluate[int](`(function (ids) {
		ids.forEach(function (id) {
			document.querySelector('label[for="' + id + '"]').click();
		});
		return document.querySelectorAll('input[type=radio]:checked').length;
	})([`+strings.Join(ids, ",")+`])`))
	if n != 2*len(s) {
		tb.T.Fatalf("%d radios checked, want %d", n, 2*len(s))
	}
}

// signIn signs the consultant in, in this tab's browser context.
func signIn(tb *browsertest.Tab, base string) {
	tb.T.Helper()
	tb.Do(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login"]`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "ann@alpha.example"),
		chromedp.SendKeys(chromedp.CSS(`#password`), wsPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-client"]`)),
	)
}

// count returns how many elements sel selects on the tab's page.
func count(tb *browsertest.Tab, sel string) int {
	tb.T.Helper()
	return browsertest.Eval[int](tb, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

func TestWSWorkshopInBrowser(t *testing.T) {
	t.Parallel()                  // mostly waiting on Chromium: let other tests run meanwhile
	cons := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newWSEnv(t, livePoll(400*time.Millisecond))
	// Labels drawn from a source that counts down, so they say plainly that they come from
	// the source and not from the order of joining: the first to join gets P99, the next P98…
	next := 99
	e.db.IntN = func(n int) int { next--; return next % n }
	base := e.http.URL
	ctx := context.Background()

	// A client with a closed earlier round, whose open Must Win Battle the new round inherits.
	cl, _ := e.q.NewClient(assessment.Company{Name: "Nordlys A/S", Industry: "retail", Country: "DK"}, true)
	if err := e.db.CreateClient(ctx, e.a.ID, &cl); err != nil {
		t.Fatal(err)
	}
	earlier, _ := e.q.NewRound("Kick-off", "en")
	if err := e.db.CreateRound(ctx, e.a.ID, cl.ID, &earlier); err != nil {
		t.Fatal(err)
	}
	carried, _ := e.q.NewBattle(13, "CFO-proof business case", "Anna (CFO)", "2026-09-30", assessment.BattleInProgress)
	if err := e.db.AddBattle(ctx, e.a.ID, earlier.ID, &carried); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.CloseRound(ctx, e.q, e.a.ID, earlier.ID); err != nil {
		t.Fatal(err)
	}

	// The consultant opens the workshop round from the client's page.
	signIn(cons, base)
	cons.Do(
		browsertest.Desktop,
		chromedp.Navigate(fmt.Sprintf("%s/w/clients/%d", base, cl.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Leadership workshop"),
		chromedp.SetValue(chromedp.CSS(`#f-lang`), "en"),
		chromedp.Click(chromedp.CSS(`[data-testid="open-round"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="join-url"]`)),
	)
	dash := browsertest.Run(cons, chromedp.Location())
	rid := dash[strings.LastIndex(dash, "/")+1:]
	joinURL := cons.Text(`[data-testid="join-url"]`)
	if !strings.HasPrefix(joinURL, base+"/j/") {
		t.Fatalf("join URL %q", joinURL)
	}
	if got := cons.Text(`[data-testid="battle"] strong`); got != "CFO-proof business case" {
		t.Errorf("the new round's battle = %q, want the open one carried over", got)
	}

	// The projector shows the presentation: the lobby, nothing about any answer.
	proj := browsertest.NewTab(t)
	signIn(proj, base)
	proj.Do(browsertest.Projector, chromedp.Navigate(base+"/w/rounds/"+rid+"/present"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="lobby-code"]`)))
	proj.Shot("present-lobby")

	// Six phones join; two finish first.
	people := []scores{
		uniform(3, 4).with(5, 1, 4), uniform(3, 4).with(5, 4, 4), uniform(3, 4), uniform(2, 4), uniform(3, 5), uniform(3, 4).with(7, 1, 5),
	}
	phones := make([]*browsertest.Tab, len(people))
	for i := range phones {
		p := browsertest.NewTab(t)
		phones[i] = p
		p.Do(browsertest.Phone, chromedp.Navigate(joinURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="welcome"]`)))
		if i == 0 {
			p.Shot("phone-welcome") // checked with axe-core by the page tour's "welcome"
		}
		p.Do(
			chromedp.SendKeys(chromedp.CSS(`#name`), fmt.Sprintf("Person %d", i+1)),
			chromedp.Click(chromedp.CSS(`[data-testid="start"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)),
		)
	}
	finish := func(i int) {
		p := phones[i]
		answerScores(p, people[i].pairs())
		if i == 0 {
			// Every tap was saved as it happened: the draft survives a reload.
			p.WaitFor(`Number(document.querySelector('form[data-draft-url]').getAttribute('data-drafts-saved')) === 42`)
			p.Do(chromedp.Reload())
			p.WaitShown(`[data-testid="submit"]`)
			if n := count(p, `input[type=radio]:checked`); n != 42 {
				t.Errorf("phone %d after reload: %d answers kept, want 42", i+1, n)
			}
		}
		p.Do(chromedp.Click(chromedp.CSS(`[data-testid="submit"]`)))
		p.WaitShown(`[data-testid="done"]`)
		p.CheckClean(fmt.Sprintf("phone %d", i+1), true)
	}
	finish(0)
	finish(1)
	phones[2].Shot("phone-form")

	// With two finished, no figure exists anywhere: a mean and SD of two give both answers.
	cons.Do(chromedp.Navigate(dash+"?show=1"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="wait-note"]`)))
	for _, sel := range []string{`[data-testid="heat-asis"]`, `[data-testid="competency-stats"]`, `[data-testid="radar-live"]`} {
		if n := count(cons, sel); n != 0 {
			t.Errorf("with 2 finished the dashboard shows %s", sel)
		}
	}
	if got := cons.Text(`[data-testid="wait-note"]`); !strings.Contains(got, "3 participants") {
		t.Errorf("wait note = %q, want it to say 3 must finish", got)
	}
	cons.Shot("dashboard-two-finished")
	api := e.browser().api("GET", "/api/v1/rounds/"+rid, e.token("ann@alpha.example"), "")
	if !strings.Contains(api.Text, `"finished":2`) || strings.Contains(api.Text, `"mean"`) || strings.Contains(api.Text, `"min"`) {
		t.Errorf("API with 2 finished = %.400s, want counts only", api.Text)
	}

	for i := 2; i < len(phones); i++ {
		finish(i)
	}
	// Before the reveal neither the projector nor the blind dashboard shows any result.
	proj.WaitFor(`document.querySelector('[data-testid="lobby-finished"]').textContent.trim() === "6"`)
	for _, sel := range []string{`[data-testid="present-radar"]`, `.present__score`, `[data-testid="distribution"]`} {
		if n := count(proj, sel); n != 0 {
			t.Errorf("projector before reveal shows %s", sel)
		}
	}
	cons.Do(chromedp.Navigate(dash), chromedp.WaitVisible(chromedp.CSS(`[data-testid="blind"]`)))
	for _, sel := range []string{`[data-testid="radar-live"]`, `[data-testid="competency-stats"]`, `[data-testid="heat-asis"]`} {
		if n := count(cons, sel); n != 0 {
			t.Errorf("blind dashboard shows %s", sel)
		}
	}
	cons.Shot("dashboard-blind")

	// Rows carry the labels drawn at the publication, sorted by number: neither the order of
	// joining nor the participants' own labels (P94…P99 here).
	cons.Do(chromedp.Navigate(dash+"?show=1"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="heat-asis"]`)))
	labels := browsertest.Eval[[]string](cons, `Array.from(document.querySelectorAll('[data-testid="heat-asis"] tbody tr')).map(r => r.getAttribute('data-label'))`)
	sorted := slices.IsSortedFunc(labels, func(a, b string) int { return assessment.LabelNumber(a) - assessment.LabelNumber(b) })
	if len(labels) != 6 || !sorted || len(slices.Compact(slices.Clone(labels))) != 6 || strings.Join(labels, " ") == "P94 P95 P96 P97 P98 P99" {
		t.Errorf("heatmap rows = %v, want 6 labels drawn at publication, sorted by number", labels)
	}
	if body := browsertest.Eval[string](cons, `document.querySelector('[data-testid="heat-asis"]').textContent`); strings.Contains(body, "Person") {
		t.Error("a heatmap shows a participant's name")
	}
	cons.Shot("dashboard-results")
	cons.Accessible("dashboard")

	// Reveal: the projector turns from the lobby to the radar, and the phones follow, with no
	// reload by anyone.
	browsertest.Run(proj, chromedp.Evaluate[int](`window.__noReload = 42`))
	cons.Do(chromedp.Navigate(dash), chromedp.Click(chromedp.CSS(`[data-testid="reveal"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="hide"]`)))
	proj.WaitFor(`document.querySelector('[data-testid="present-radar"][data-rendered="true"] svg') !== null`)
	if v := browsertest.Eval[int](proj, `window.__noReload || 0`); v != 42 {
		t.Error("the projector reloaded instead of updating in place")
	}
	for i, p := range phones {
		p.WaitShown(`[data-testid="room"]`)
		if i == 0 {
			p.Shot("phone-room")
			if n := count(p, `[data-testid="heat-asis"]`); n != 0 {
				t.Error("the room's result on a phone shows a heatmap")
			}
		}
	}
	proj.Shot("present-radar")
	proj.CheckClean("presentation", true)

	// The consultant steps through with the keyboard; every step is its own URL.
	for _, step := range []string{"today", "ambition", "gaps", "cat-leadership"} {
		proj.Do(chromedp.KeyEvent(kb.ArrowRight))
		proj.WaitShown(`[data-testid="step-` + step + `"]`)
		if loc := browsertest.Run(proj, chromedp.Location()); !strings.HasSuffix(loc, "/present/"+step) {
			t.Errorf("after → the projector is at %s, want the step's own URL", loc)
		}
		proj.Shot("present-" + step)
	}
	proj.Do(chromedp.KeyEvent(kb.ArrowLeft))
	proj.WaitShown(`[data-testid="step-gaps"]`)
	if _, keep := browsertest.ShotDir(t); keep {
		for _, step := range []string{"cat-mobilization", "cat-yearly-plan", "cat-assessment", "cat-strategy", "cat-tactics", "cat-results", "battles"} {
			proj.Do(chromedp.Navigate(base + "/w/rounds/" + rid + "/present/" + step))
			proj.WaitShown(`[data-testid="step-` + step + `"]`)
			proj.Shot("present-" + step)
		}
	}
	proj.Do(chromedp.Navigate(base+"/w/rounds/"+rid+"/present/today"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="step-today"]`)))
	// Competency 5: one 1, one 4, four 3s (AS-IS): how many chose each point, never who.
	dist := browsertest.Eval[[]string](proj, `Array.from(document.querySelectorAll('[data-competency="5"] .dist__count')).map(e => e.textContent)`)
	// Phones answered 1, 4, 3, 2, 3, 3.
	if strings.Join(dist, " ") != "1 1 3 1 0" {
		t.Errorf("distribution of competency 5 today = %v, want 1 1 3 1 0", dist)
	}
	proj.Accessible("presentation")
	// That every step is legible from the back of the room on one screen (text of at least
	// 28 px, key numbers of 64 px at 1920×1080, nothing scrolls) is
	// TestPresentationFitsEveryProjectorInBrowser's, for every step in four languages.

	// Hide: the phones return to waiting.
	cons.Do(chromedp.Navigate(dash), chromedp.Click(chromedp.CSS(`[data-testid="hide"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="reveal"]`)))
	phones[0].WaitShown(`[data-testid="done"]`)

	// A note while the room discusses competency 5; it shows in the report.
	cons.Do(
		chromedp.Navigate(dash+"?show=1"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="notes"]`)),
		chromedp.Click(chromedp.CSS(`.notes__add summary`)),
		chromedp.SetValue(chromedp.CSS(`[data-testid="notes"] select`), "5"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="notes"] textarea`), "Sales sees 4, service sees 1: the loop is not closed."),
		chromedp.Click(chromedp.CSS(`[data-testid="save-note"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="note-5"]`)),
	)

	// Removing a duplicate: it leaves the count at once (its published row leaves with a
	// publication of at least three removals).
	before := cons.Text(`[data-testid="participants"]`)
	pid := browsertest.Eval[string](cons, `document.querySelector('[data-participant]').getAttribute('data-participant')`)
	cons.Do(
		chromedp.Click(chromedp.CSS(`[data-testid="remove-participant-`+pid+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm"]`)),
	)
	if got := cons.Text(`[data-testid="confirm-subject"]`); !strings.Contains(got, "Person 1") {
		t.Errorf("removal asks about %q, want Person 1", got)
	}
	cons.Do(chromedp.Click(chromedp.CSS(`[data-testid="confirm-yes"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="participants"]`)))
	if got := cons.Text(`[data-testid="participants"]`); before != "6" || got != "5" {
		t.Errorf("finished before and after removing one = %s, %s; want 6, 5", before, got)
	}

	// Closing asks what it does; re-opening and closing again keep the pool exact.
	pool := func() int {
		return e.countRows("SELECT count(*) FROM pool_companies WHERE key = " + fmt.Sprintf("'client:%d'", cl.ID))
	}
	// all counts every company in the pool: the client's round is the only one.
	all := func() int { return e.countRows("SELECT count(*) FROM pool_companies") }
	cons.Do(chromedp.Click(chromedp.CSS(`[data-testid="close-round"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm"]`)))
	if got := cons.Text(`[data-testid="confirm"]`); !strings.Contains(got, "Answers freeze") || !strings.Contains(got, "benchmark") {
		t.Errorf("the close confirmation says %q, want what closing does", got)
	}
	cons.Shot("close-confirm")
	cons.Do(chromedp.Click(chromedp.CSS(`[data-testid="confirm-yes"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-status="closed"]`)))
	afterClose := []int{pool(), all()}
	cons.Do(chromedp.Click(chromedp.CSS(`[data-testid="reopen-round"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-yes"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-status="open"]`)))
	// Open again, the round leaves the pool; the earlier round (closed with no answers) does
	// not stand in.
	afterReopen := []int{pool(), all()}
	cons.Do(chromedp.Click(chromedp.CSS(`[data-testid="close-round"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-yes"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-status="closed"]`)))
	afterClose2 := []int{pool(), all()}
	if fmt.Sprint(afterClose, afterReopen, afterClose2) != "[1 1] [0 0] [1 1]" {
		t.Errorf("pool (client entries, all companies) after close, re-open, close = %v %v %v; want [1 1] [0 0] [1 1]", afterClose, afterReopen, afterClose2)
	}

	// The report carries the note, and the battle with owner and due date.
	cons.Do(chromedp.Navigate(dash+"/report"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="notes"]`)))
	if got := cons.Text(`[data-testid="note-5"]`); !strings.Contains(got, "the loop is not closed") {
		t.Errorf("report note on 5 = %q", got)
	}
	if got := cons.Text(`[data-testid="battle-meta"]`); !strings.Contains(got, "Anna (CFO)") || !strings.Contains(got, "30 September 2026") {
		t.Errorf("report battle = %q, want its owner and due date", got)
	}
	cons.CheckClean("consultant", true)

	// The client's next round starts with the battle still open.
	cons.Do(
		chromedp.Navigate(fmt.Sprintf("%s/w/clients/%d", base, cl.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "Follow-up"),
		chromedp.Click(chromedp.CSS(`[data-testid="open-round"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="carried"]`)),
	)
}
