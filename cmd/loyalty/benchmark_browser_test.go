package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/loyalty-cx/loyalty/assessment/web/browsertest"
)

// radarSeriesJS returns, for the radar in the element with id %q, each series' name and
// values as ECharts holds them after drawing (one series per polygon).
const radarSeriesJS = `(function () {
  var chart = echarts.getInstanceByDom(document.getElementById(%q));
  return chart.getOption().series.map(function (s) { return {name: s.data[0].name, value: s.data[0].value}; });
})()`

type radarSeries struct {
	Name  string    `json:"name"`
	Value []float64 `json:"value"`
}

// TestBenchmarkGroupSwitchInBrowser loads demo companies, takes a test with a company profile,
// and switches the peer group on the result page: the benchmark table follows the group and
// the peers' median is drawn as a third series on both radars.
func TestBenchmarkGroupSwitchInBrowser(t *testing.T) {
	t.Parallel() // mostly waiting (on Chromium or password hashing): let other tests run meanwhile
	tb := browsertest.NewTab(t)
	path := dbPath(t)
	var out strings.Builder
	if err := run(context.Background(), []string{"demo", "-db", path, "--companies", "120", "--seed", "3"}, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatalf("loyalty demo: %v", err)
	}
	a := startApp(t, "-db", path, "-demo")

	form := formAnswers("Browser Bank A/S")
	form.Set("industry", "finance")
	form.Set("size", "250-999")
	form.Set("nps_years", "1-5")
	form.Set("country", "DK")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.PostForm(a.URL+"/test?lang=en", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /test = %d, want 303", res.StatusCode)
	}
	result := a.URL + res.Header.Get("Location")

	tb.Do(
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(result),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="bench-table"]`)),
	)
	tb.WaitCharts("radar-categories-data", "radar-competencies-data")
	if tb.Text(`[data-testid="notice"]`) == "" {
		t.Error("demo data is in the benchmark but the page has no notice")
	}
	if got := tb.Text(`.group-switch .is-current`); got != "All companies" {
		t.Errorf("current group = %q, want All companies", got)
	}
	before := browsertest.Run(tb, chromedp.Evaluate[[]radarSeries](fmt.Sprintf(radarSeriesJS, "radar-categories")))
	if len(before) != 3 || before[2].Name != "Peer median (AS-IS)" || len(before[2].Value) != 7 {
		t.Fatalf("category radar series = %+v, want AS-IS, TO-BE and the peer median over 7 axes", before)
	}
	comp := browsertest.Run(tb, chromedp.Evaluate[[]radarSeries](fmt.Sprintf(radarSeriesJS, "radar-competencies")))
	if len(comp) != 3 || len(comp[2].Value) != 21 {
		t.Fatalf("competency radar has %d series, want 3 with 21 values in the third", len(comp))
	}
	peersAll := tb.Text(`[data-testid="bench-peers"]`)

	// Switch to the company's industry with the group switch (a plain link: no script needed).
	tb.Do(
		chromedp.Click(chromedp.CSS(`a[data-group="industry"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-group="industry"].is-current`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="bench-table"]`)),
	)
	tb.WaitCharts("radar-categories-data", "radar-competencies-data")
	if got := tb.Text(`.group-switch .is-current`); got != "Industry: Finance" {
		t.Errorf("current group after the switch = %q, want Industry: Finance", got)
	}
	if got := tb.Text(`[data-testid="bench-peers"]`); got == peersAll {
		t.Errorf("peer count text did not change with the group: %q", got)
	}
	after := browsertest.Run(tb, chromedp.Evaluate[[]radarSeries](fmt.Sprintf(radarSeriesJS, "radar-categories")))
	if len(after) != 3 || after[2].Name != "Peer median (AS-IS)" {
		t.Fatalf("after the switch the category radar series = %+v, want the peer median as the third", after)
	}
	if !slices.Equal(after[0].Value, before[0].Value) {
		t.Errorf("the company's own AS-IS changed with the peer group: %v → %v", before[0].Value, after[0].Value)
	}
	tb.CheckClean("benchmark result page", true)
	dir, _ := browsertest.ShotDir(t)
	tb.Screenshot(dir, "benchmark-industry.png")
}
