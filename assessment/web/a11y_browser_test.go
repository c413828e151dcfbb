package web

// Every page a person reaches, checked with axe-core (all of its rules, best practices
// included) on a desktop and on a phone. It skips when Chromium is missing, except under
// CI=true, where that is a failure.

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

func TestEveryPageAccessibleInBrowser(t *testing.T) {
	t.Parallel()
	browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	if !browsertest.AxeChecksum() {
		t.Fatal("browsertest/axe/axe.min.js does not match the sha256 in VERSION.md")
	}
	e := newWSEnv(t)
	tour := newPageTour(t, e)

	// One tab per group and screen, so that no tab runs into its time limit on a slow machine.
	for _, vp := range []struct {
		name string
		size chromedp.Action[chromedp.Void]
	}{{"desktop", browsertest.Desktop}, {"phone", browsertest.Phone}} {
		for _, group := range []struct {
			name   string
			signIn bool
			pages  []tourPage
		}{{"public", false, tour.public}, {"workspace", true, tour.workspace}, {"presentation", true, tour.presentation}} {
			if group.name == "presentation" && vp.name == "phone" {
				continue // made for a projector; its phone view is a consultant's glance, not a page to read
			}
			t.Run(vp.name+"/"+group.name, func(t *testing.T) {
				tb := browsertest.NewTab(t)
				if group.signIn {
					signIn(tb, e.http.URL)
				}
				tb.Do(vp.size)
				for _, pg := range group.pages {
					tb.Do(chromedp.Navigate(e.http.URL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
					tb.Accessible(pg.name)
					// The tables that stack on a phone get their table roles from app.js (HTML does
					// not allow them in the markup): every cell must have one.
					if n := browsertest.Eval[int](tb, `document.querySelectorAll(':is(table.stack-table, table.ws-stats--stack, table.delta) :is(td:not([role=cell]), tr:not([role=row]))').length`); n > 0 {
						t.Errorf("%s: %d cells or rows of a stacking table have no role", pg.name, n)
					}
				}
			})
		}
	}
}
