package web

// Every page a person reaches, checked with axe-core (all of its rules, best practices
// included) on a desktop and on a phone. It skips when Chromium is missing, except under
// CI=true, where that is a failure.

import (
	"context"
	"fmt"
	"net/url"
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
	ctx := context.Background()
	result := e.submitForm(uniform(2, 4), url.Values{"company": {"Acme A/S"}, "industry": {"retail"}, "benchmark_consent": {"yes"}})
	room := e.exportRoom("Nordlys A/S", "Ann", "Bo", "Cy") // three finished: the detail shows
	lobby := e.world("Fjord A/S")                          // not revealed: the presentation's lobby
	if err := e.db.SetRoundRevealed(ctx, e.a.ID, room.round.ID, true); err != nil {
		t.Fatal(err)
	}
	round := fmt.Sprintf("/w/rounds/%d", room.round.ID)
	client := fmt.Sprintf("/w/clients/%d", room.client.ID)
	present := round + "/present"

	type page struct{ name, path, ready string }
	public := []page{
		{"home", "/?lang=da", "main"},
		{"test", "/test?lang=sv", `[data-testid="submit"]`},
		{"result", result + "?lang=nb", `[data-testid="gap-table"]`},
		{"delete result", result + "/delete?lang=en", `[data-testid="delete-confirm"]`},
		{"benchmark", "/benchmark?lang=da", "main"},
		{"privacy", "/privacy?lang=sv", "main"},
		{"not found", "/r/nope?lang=nb", "main"},
		{"login", "/login?lang=en", "main form"},
		{"join", "/j?lang=da", "main"},
		{"welcome", "/j/" + room.round.Code, `[data-testid="welcome"]`},
	}
	workspace := []page{
		{"clients", "/w/clients", `[data-testid="new-client"]`},
		{"new client", "/w/clients/new", "main form"},
		{"client", client, `[data-testid="rounds"]`},
		{"edit client", client + "/edit", "main form"},
		{"compare", client + "/compare", "main"},
		{"dashboard, blind", fmt.Sprintf("/w/rounds/%d", lobby.round.ID), `[data-testid="blind"]`},
		{"dashboard, revealed", round, `[data-testid="competency-stats"]`},
		{"report", round + "/report", `[data-testid="gap-table"]`},
		{"close round", round + "/close", "main form"},
		{"portfolio", "/w/portfolio", `[data-testid="portfolio"]`},
		{"members", "/w/members", `[data-testid="members"]`},
		{"tokens", "/w/tokens", "main"},
	}
	presentation := []page{{"lobby", fmt.Sprintf("/w/rounds/%d/present", lobby.round.ID), `[data-testid="lobby-code"]`}}
	for _, step := range e.srv.presentSteps() {
		presentation = append(presentation, page{step, present + "/" + step, "main"})
	}

	// One tab per group and screen, so that no tab runs into its time limit on a slow machine.
	for _, vp := range []struct {
		name string
		size chromedp.Action[chromedp.Void]
	}{{"desktop", browsertest.Desktop}, {"phone", browsertest.Phone}} {
		for _, group := range []struct {
			name   string
			signIn bool
			pages  []page
		}{{"public", false, public}, {"workspace", true, workspace}, {"presentation", true, presentation}} {
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
				}
			})
		}
	}
}
