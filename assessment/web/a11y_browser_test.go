package web

// Every page a person reaches, checked with axe-core (all of its rules, best practices
// included) on a desktop and on a phone. It skips when Chromium is missing, except under
// CI=true, where that is a failure.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

func TestEveryPageAccessibleInBrowser(t *testing.T) {
	t.Parallel()
	browsertest.Require(t) // first: skips or fails before anything else without a browser
	if !browsertest.AxeChecksum() {
		t.Fatal("browsertest/axe/axe.min.js does not match the sha256 in VERSION.md")
	}
	e := newWSEnv(t)
	tour := newPageTour(t, e)

	// One tab per group, so that no tab runs into its time limit on a slow machine. Each page
	// is loaded once and checked on both screens: the tab is resized from one to the other, as
	// a phone turned or a window narrowed, rather than the page loaded again (a load costs
	// Chromium more than the resize).
	for _, group := range []struct {
		name   string
		signIn bool
		pages  []tourPage
		phone  bool
	}{{"public", false, tour.public, true}, {"workspace", true, tour.workspace, true},
		// Made for a projector; its phone view is a consultant's glance, not a page to read.
		{"presentation", true, tour.presentation, false}} {
		t.Run(group.name, func(t *testing.T) {
			tb := browsertest.NewTab(t)
			if group.signIn {
				signIn(tb, e.http.URL)
			}
			check := func(where string) {
				tb.Accessible(where)
				// The tables that stack on a phone get their table roles from app.js (HTML does
				// not allow them in the markup): every cell must have one.
				if n := browsertest.Eval[int](tb, `document.querySelectorAll(':is(table.stack-table, table.ws-stats--stack, table.delta, table.token-table) :is(td:not([role=cell]), tr:not([role=row]))').length`); n > 0 {
					t.Errorf("%s: %d cells or rows of a stacking table have no role", where, n)
				}
			}
			// checkAt checks the page on the tab's screen, a phone's or a desktop's.
			checkAt := func(pg tourPage, phone bool) {
				shot := "tour-" + group.name + "-" + strings.ReplaceAll(pg.name, " ", "-")
				if !phone {
					check(pg.name + " (desktop)")
					// With LOYALTY_SCREENSHOT_DIR set, every page of the tour is kept as a picture.
					tb.Shot(shot + "-1440")
					return
				}
				check(pg.name + " (phone)")
				// A table that stacks on a phone (members, invitations, tokens, passkeys) fits its
				// card: nobody scrolls a list of people sideways.
				if wide := browsertest.Eval[[]string](tb, `[...document.querySelectorAll('table.token-table')].filter(t => t.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.dataset.testid + ' ' + t.scrollWidth + ' px in ' + t.parentElement.clientWidth)`); len(wide) > 0 {
					t.Errorf("%s (phone): stacking tables wider than their card: %v", pg.name, wide)
				}
				tb.Shot(shot + "-390")
			}
			// The tab alternates: a page loaded at one size is resized to the other, and the
			// next page loads at the size the last one ended at, so that no page is resized
			// only to be left.
			phone := false
			for _, pg := range group.pages {
				size := browsertest.Desktop
				if phone {
					size = browsertest.Phone
				}
				tb.Do(size, chromedp.Navigate(e.http.URL+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
				checkAt(pg, phone)
				if group.phone {
					phone = !phone
					if phone {
						tb.Resize(browsertest.Phone)
					} else {
						tb.Resize(browsertest.Desktop)
					}
					checkAt(pg, phone)
				}
			}
		})
	}
}
