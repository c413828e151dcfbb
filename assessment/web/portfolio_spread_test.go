package web

import (
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestPortfolioSpreadAndMovement: the portfolio shows, per category, where each client stands
// among the workspace's clients (a dot per client named in its title, the middle half and the
// median worked by hand) and how each client moved between its closed rounds.
func TestPortfolioSpreadAndMovement(t *testing.T) {
	e := newWSEnv(t)
	tok := e.token("carl@alpha.example")
	// Overall AS-IS: Low 2 then 4 (two rounds), Mid 3, High 5.
	low := e.closedClient(e.a, tok, "Low A/S", uniform(2, 4))
	e.advance(24 * time.Hour)
	e.closeRoundOf(low, tok, uniform(4, 5))
	e.closedClient(e.a, tok, "Mid A/S", uniform(3, 4))
	e.closedClient(e.a, tok, "High A/S", uniform(5, 5))
	d := doc(t, e.login("carl@alpha.example").get("/w/portfolio").Body)

	strips := d.Find(`[data-testid="spread-strip"]`)
	if strips.Length() != 7 {
		t.Fatalf("spread strips = %d, want 7", strips.Length())
	}
	// Latest rounds: 4, 3, 5 on every category → P25 3.5, median 4, P75 4.5 (type 7).
	if got := strips.First().AttrOr("aria-label", ""); got != "L · Leadership Commitment: median 4.0, middle half 3.5–4.5, 3 clients" {
		t.Errorf("first strip says %q", got)
	}
	var titles []string
	strips.First().Find("circle title").Each(func(_ int, s *goquery.Selection) { titles = append(titles, s.Text()) })
	if strings.Join(titles, "; ") != "High A/S: 5.0; Low A/S: 4.0; Mid A/S: 3.0" {
		t.Errorf("dots = %q, want one per client by name", titles)
	}
	// The scale runs from x=10 (1) to x=390 (5): the median 4 is at 295.
	if x := strips.First().Find("line.spread__median").AttrOr("x1", ""); x != "295.0" {
		t.Errorf("median line at x=%s, want 295.0", x)
	}
	moves := map[string]string{}
	d.Find(`[data-testid="portfolio"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		moves[squash(s.Find("th a").Text())] = squash(s.Find(`[data-testid="movement"]`).Text())
	})
	for name, want := range map[string]string{"Low A/S": "2.0 → 4.0 +2.0", "Mid A/S": "3.0", "High A/S": "5.0"} {
		if moves[name] != want {
			t.Errorf("movement of %s = %q, want %q", name, moves[name], want)
		}
	}
}
