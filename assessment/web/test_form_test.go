package web

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestTestFormNamesEveryGroup: a screen reader heard 42 radio groups named only "Today
// (AS-IS)" and "Should be (TO-BE)"; each group is now named by its competency and its row.
// And items 10-12, the competencies called AS-IS, TO-BE and GAP, were titled with those very
// words right above the rows "Today (AS-IS)"; they are titled by what they measure.
func TestTestFormNamesEveryGroup(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		lang   string
		titles map[string]string // item → title as read, tag included
		name5  string            // the accessible name of item 5's AS-IS group
	}{
		{"en", map[string]string{
			"10": "10 Monthly measurement Competency “AS-IS”",
			"11": "11 Yearly targets Competency “TO-BE”",
			"12": "12 Quarterly effect check Competency “GAP”",
		}, "5 Commitment Today (AS-IS)"},
		{"da", map[string]string{
			"10": "10 Månedlig måling Kompetencen “AS-IS”",
			"12": "12 Kvartalsvis effektmåling Kompetencen “GAP”",
		}, "5 Motivation I dag (AS-IS)"},
	} {
		d := doc(t, e.get("/test?lang="+tc.lang).Body)
		groups := d.Find(`form fieldset.rate`)
		if groups.Length() != 42 {
			t.Fatalf("%s: %d radio groups, want 42", tc.lang, groups.Length())
		}
		names := map[string]bool{}
		groups.Each(func(_ int, g *goquery.Selection) {
			name := accessibleName(d, g)
			if names[name] {
				t.Errorf("%s: two radio groups are both named %q", tc.lang, name)
			}
			names[name] = true
		})
		if got := accessibleName(d, d.Find(`#c5 fieldset.rate--as_is`)); got != tc.name5 {
			t.Errorf("%s: item 5's AS-IS group is named %q, want %q", tc.lang, got, tc.name5)
		}
		for item, want := range tc.titles {
			if got := squash(d.Find(`#c` + item + ` .item__title`).Text()); got != want {
				t.Errorf("%s: item %s is titled %q, want %q", tc.lang, item, got, want)
			}
		}
	}
}

// accessibleName is a fieldset's name as aria-labelledby composes it: the texts of the
// elements it names, in order, joined by spaces.
func accessibleName(d *goquery.Document, g *goquery.Selection) string {
	var parts []string
	for _, id := range strings.Fields(g.AttrOr("aria-labelledby", "")) {
		parts = append(parts, squash(d.Find("#"+id).Text()))
	}
	return strings.Join(parts, " ")
}
