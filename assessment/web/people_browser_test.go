package web

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestDashboardHallListInBrowser: a consultant with a hall of 500 on page 2 of a search
// starts typing another search; meanwhile someone joins and the stream replaces the live
// part. The counts change, the list stays on the same page of the same search, and the field
// keeps what was typed, its caret and its focus; Enter then searches. The list fits a phone
// (390 px) and a laptop (1440 px) without sideways scrolling.
func TestDashboardHallListInBrowser(t *testing.T) {
	t.Parallel()
	tab := browsertest.NewTab(t)
	e := newWSEnv(t, livePoll(time.Minute))
	w := e.world("Hall")
	e.hall(w, 500)
	base := e.http.URL
	signIn(tab, base)
	tab.Do(browsertest.Desktop, chromedp.Navigate(fmt.Sprintf("%s/w/rounds/%d?q=phone&page=2", base, w.round.ID)))
	tab.WaitShown(`[data-testid="people"]`)
	tab.WaitFor(`document.querySelector('[data-testid="live"]').getAttribute('data-live-open') === 'true'`)
	// "phone" finds the 500 phones, not Secret Sam: page 2 is Phone 51-100.
	if got := tab.Text(`[data-testid="people-page"]`); got != "Page 2 of 10" {
		t.Fatalf("page = %q, want Page 2 of 10", got)
	}
	if got := tab.Text(`[data-testid="people"] tbody tr th`); got != "Phone 51" {
		t.Fatalf("first row = %q, want Phone 51", got)
	}
	tab.Accessible("dashboard with a hall")
	if over, who := tab.Overflow(1440); over > 0 {
		t.Errorf("dashboard at 1440 px is %d px too wide: %v", over, who)
	}
	tab.Shot("dashboard-hall-1440")

	// Type a new search without sending it.
	browsertest.Eval[bool](tab, `(function () { var q = document.getElementById('f-people-q'); q.focus(); q.select(); return true; })()`)
	tab.Do(chromedp.SendKeys(chromedp.CSS(`#f-people-q`), "Phone 9"))
	// Someone joins and answers: the stream replaces the live part.
	finish(t, e, w.round.Code, 2)
	tab.WaitFor(`document.querySelector('[data-testid="joined"]').textContent.trim() === '502'`)
	if got := tab.Text(`[data-testid="people-page"]`); got != "Page 2 of 10" {
		t.Errorf("after the update the page = %q, want Page 2 of 10", got)
	}
	if got := tab.Text(`[data-testid="people"] tbody tr th`); got != "Phone 51" {
		t.Errorf("after the update the first row = %q, want Phone 51", got)
	}
	type field struct {
		Value   string `json:"value"`
		Focused bool   `json:"focused"`
		Caret   int    `json:"caret"`
	}
	got := browsertest.Eval[field](tab, `(function () { var q = document.getElementById('f-people-q'); return { value: q.value, focused: document.activeElement === q, caret: q.selectionStart }; })()`)
	if got != (field{"Phone 9", true, 7}) {
		t.Errorf("search field after the update = %+v, want Phone 9, focused, caret at 7", got)
	}
	// Enter sends the search: Phone 9 and Phone 90-99.
	tab.Do(chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="people-clear"]`)))
	if n := browsertest.Eval[int](tab, `document.querySelectorAll('[data-testid="people"] tbody tr').length`); n != 11 {
		t.Errorf("search Phone 9 lists %d, want 11", n)
	}

	tab.Do(browsertest.Phone, chromedp.Navigate(fmt.Sprintf("%s/w/rounds/%d?status=answering", base, w.round.ID)))
	tab.WaitShown(`[data-testid="people"]`)
	if over, who := tab.Overflow(390); over > 0 {
		t.Errorf("dashboard at 390 px is %d px too wide: %v", over, who)
	}
	tab.Shot("dashboard-hall-390")
	// The list itself, as the phone's screen shows it.
	if dir, keep := browsertest.ShotDir(t); keep {
		tab.Do(chromedp.ScrollIntoView(chromedp.CSS(`#people`)))
		png := browsertest.Run(tab, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, "dashboard-hall-390-list.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tab.CheckClean("dashboard with a hall", true)
}
