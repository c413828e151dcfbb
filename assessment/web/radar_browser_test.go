package web

// Radar labels that can be read: on every screen from a 320 px phone to a 1920 px projector,
// in every language, no axis name, legend entry or other label of a radar is cut by the
// chart's box or the screen, and none covers another. The charts are SVG, so every label is
// a <text> element whose box the browser measures.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// radarLabelProblems names, for every drawn chart on the page, the labels that stick out of
// the chart's box or the viewport, and the pairs of labels that overlap (by more than one
// pixel each way). Empty when every label reads.
const radarLabelProblems = `(function () {
  var out = [], vw = document.documentElement.clientWidth;
  document.querySelectorAll('[data-chart][data-rendered="true"]').forEach(function (host) {
    var box = host.getBoundingClientRect();
    var left = Math.max(box.left, 0), right = Math.min(box.right, vw);
    var texts = [];
    host.querySelectorAll('svg text').forEach(function (t) {
      var r = t.getBoundingClientRect(), s = t.textContent.trim();
      if (!s || r.width === 0) return;
      texts.push({ s: s, r: r });
      if (r.left < left - 1 || r.right > right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.push(host.id + ': "' + s + '" cut (' + Math.round(r.left) + '–' + Math.round(r.right) + ' of ' + Math.round(left) + '–' + Math.round(right) + ')');
      }
    });
    // Lines of one wrapped name are separate <text> elements: they may touch, not overlap.
    for (var i = 0; i < texts.length; i++) {
      for (var j = i + 1; j < texts.length; j++) {
        var a = texts[i].r, b = texts[j].r;
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) out.push(host.id + ': "' + texts[i].s + '" overlaps "' + texts[j].s + '"');
      }
    }
  });
  return out.slice(0, 6);
})()`

func TestRadarLabelsInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t, demoMode)
	if err := e.db.AddSynthetic(context.Background(), e.q.SyntheticCompanies(40, 9, e.clock())); err != nil {
		t.Fatal(err)
	}
	path := e.submitForm(uniform(2, 4).with(1, 1, 5).with(7, 5, 5), url.Values{"company": {"Nordlys Retail A/S"},
		"industry": {"retail"}, "benchmark_consent": {"yes"}})
	// Each page is loaded once per language and resized through the widths, as a window is
	// narrowed or a phone turned: a load costs Chromium several times what a resize does, and
	// app.js fits the radars again on every resize. Each language starts at a different width
	// (da at 320, en at 390, sv at 768, nb at 1440) and wraps round, so the radars are drawn
	// first at every width but 1920, and fitted after a resize, growing or shrinking, at all.
	widths := []int{320, 390, 768, 1440, 1920}
	tabs := []*browsertest.Tab{tb, browsertest.NewTab(t)} // one per page
	for i, lang := range []string{"da", "en", "sv", "nb"} {
		for j := range widths {
			width := widths[(i+j)%len(widths)]
			t.Run(fmt.Sprintf("%d-%s", width, lang), func(t *testing.T) {
				viewport := chromedp.EmulateViewport(int64(width), 900)
				if width < 700 {
					viewport = chromedp.EmulateViewport(int64(width), 844, chromedp.EmulateMobile, chromedp.EmulateTouch)
				}
				for k, page := range []struct{ url, charts string }{
					{path + "?lang=" + lang, "radar-categories-data radar-competencies-data"},
					{"/benchmark?lang=" + lang, "radar-pool-data"},
				} {
					tb := tabs[k]
					if j == 0 {
						tb.Do(viewport, chromedp.Navigate(e.http.URL+page.url))
					} else {
						tb.Resize(viewport)
					}
					for _, id := range strings.Fields(page.charts) {
						tb.WaitCharts(id)
					}
					if problems := browsertest.Eval[[]string](tb, radarLabelProblems); len(problems) > 0 {
						t.Errorf("%s at %d px: %v", page.url, width, problems)
						tb.Shot(fmt.Sprintf("radar-%d-%s", width, lang))
					}
					// Spokes that show only numbers have a key under the radar, number → name,
					// and spokes with names have none.
					if page.charts == "radar-categories-data radar-competencies-data" {
						got := browsertest.Eval[[]int](tb, `(function () {
  var host = document.getElementById('radar-competencies');
  var nums = Array.from(host.querySelectorAll('svg text')).filter(function (t) { return /^\d+$/.test(t.textContent.trim()) && +t.textContent.trim() <= 21; }).length;
  var key = document.getElementById('radar-competencies-key');
  var items = key && !key.hidden && key.getBoundingClientRect().height > 0 ? key.querySelectorAll('li').length : 0;
  var first = items ? key.querySelector('li').textContent.replace(/\u00AD/g, '') : '';
  var last = items ? key.querySelector('li:last-child').textContent : '';
  return [nums, items, first.indexOf('1 ') === 0 && last.indexOf('21 ') === 0 ? 1 : 0];
})()`)
						numbered := got[0] >= 21
						if numbered && (got[1] != 21 || got[2] != 1) {
							t.Errorf("%s at %d px: the spokes show numbers, but the key has %d items (1 first and 21 last: %d), want 21", page.url, width, got[1], got[2])
						}
						if !numbered && got[1] != 0 {
							t.Errorf("%s at %d px: the spokes have names and a key of %d items too", page.url, width, got[1])
						}
						if width <= 390 && !numbered {
							t.Logf("%s at %d px: names on the spokes (%d numbers)", page.url, width, got[0])
						}
					}
					// Nothing is wider than the screen, and every figure of the benchmark tables
					// (percentile, standing, level) is on it, not off to the right.
					if over, culprits := tb.Overflow(width); over > 0 {
						t.Errorf("%s is %d px too wide at %d px: %v", page.url, over, width, culprits)
					}
					cells := browsertest.Eval[[]string](tb, `Array.from(document.querySelectorAll('.stack-table td[data-label]')).map(c => {
  const r = c.getBoundingClientRect();
  return (r.left < 0 || r.right > innerWidth + 0.5) ? c.getAttribute('data-label') + ' at ' + Math.round(r.left) + '-' + Math.round(r.right) : '';
})`)
					if len(cells) == 0 {
						t.Errorf("%s has no benchmark table", page.url)
					}
					for _, c := range cells {
						if c != "" {
							t.Errorf("%s at %d px: the cell %s is off the screen", page.url, width, c)
						}
					}
				}
			})
		}
	}
}
