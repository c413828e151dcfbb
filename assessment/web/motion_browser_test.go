package web

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// TestChartMotionInBrowser: the result's radars animate into place for a reader who has not
// asked for less motion, and are drawn at once, with no transition anywhere on the page, for
// one who has (every other browser test reads pages that way: browsertest asks for it).
func TestChartMotionInBrowser(t *testing.T) {
	t.Parallel()
	tb := browsertest.NewTab(t) // first: skips or fails before anything else without a browser
	e := newEnv(t)
	path := e.submitForm(uniform(2, 4), nil)
	const animated = `['radar-categories-data', 'radar-competencies-data'].map(function (id) {
	  return window.echarts.getInstanceByDom(document.querySelector('[data-chart="' + id + '"]')).getOption().animation;
	})`
	// The test's answer buttons change colour with a transition.
	const transitions = `Array.from(document.querySelectorAll('*')).filter(function (el) {
	  return parseFloat(getComputedStyle(el).transitionDuration) > 0;
	}).length`
	// load returns how many elements of the test page have a transition, and whether each
	// radar of the result page animates.
	load := func() (int, []bool) {
		tb.Do(browsertest.Desktop, chromedp.Navigate(e.http.URL+"/test?lang=en"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="submit"]`)))
		n := browsertest.Eval[int](tb, transitions)
		tb.Do(chromedp.Navigate(e.http.URL + path + "?lang=en"))
		tb.WaitCharts("radar-categories-data", "radar-competencies-data")
		return n, browsertest.Eval[[]bool](tb, animated)
	}

	n, got := load()
	if len(got) != 2 || got[0] || got[1] {
		t.Errorf("asking for reduced motion, the radars' animation = %v, want false for both", got)
	}
	if n != 0 {
		t.Errorf("asking for reduced motion, %d elements of the test still have a transition", n)
	}

	tb.AllowMotion()
	n, got = load()
	if len(got) != 2 || !got[0] || !got[1] {
		t.Errorf("without asking for reduced motion, the radars' animation = %v, want true for both", got)
	}
	if n == 0 {
		t.Error("without asking for reduced motion, no element of the test has a transition: the check above proves nothing")
	}
}
